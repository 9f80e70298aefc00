/**
 * Reading mail HTML: character references and tags, for html-to-text.ts. Linear in the input,
 * since mail is attacker-chosen: nothing here backtracks over a whole document.
 */

/** Named character references that mail actually uses (HTML has ~2,000; these cover what clients write). */
const ENTITIES: Record<string, string> = {
  nbsp: "\u00a0",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  minus: "−",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  laquo: "«",
  raquo: "»",
  lsaquo: "‹",
  rsaquo: "›",
  bull: "•",
  middot: "·",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  curren: "¤",
  sect: "§",
  para: "¶",
  deg: "°",
  plusmn: "±",
  times: "×",
  divide: "÷",
  micro: "µ",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  sup1: "¹",
  sup2: "²",
  sup3: "³",
  shy: "",
  zwnj: "\u200c",
  zwj: "\u200d",
  lrm: "\u200e",
  rlm: "\u200f",
  thinsp: "\u2009",
  ensp: "\u2002",
  emsp: "\u2003",
  iexcl: "¡",
  iquest: "¿",
  larr: "←",
  rarr: "→",
  uarr: "↑",
  darr: "↓",
  harr: "↔",
  rArr: "⇒",
  hearts: "♥",
  check: "✓",
  dagger: "†",
  Dagger: "‡",
  permil: "‰",
  prime: "′",
  Prime: "″",
  ordf: "ª",
  ordm: "º",
  not: "¬",
  macr: "¯",
  acute: "´",
  uml: "¨",
  cedil: "¸",
  brvbar: "¦",
  szlig: "ß",
  agrave: "à",
  aacute: "á",
  acirc: "â",
  atilde: "ã",
  auml: "ä",
  aring: "å",
  aelig: "æ",
  ccedil: "ç",
  egrave: "è",
  eacute: "é",
  ecirc: "ê",
  euml: "ë",
  igrave: "ì",
  iacute: "í",
  icirc: "î",
  iuml: "ï",
  ntilde: "ñ",
  ograve: "ò",
  oacute: "ó",
  ocirc: "ô",
  otilde: "õ",
  ouml: "ö",
  oslash: "ø",
  ugrave: "ù",
  uacute: "ú",
  ucirc: "û",
  uuml: "ü",
  yacute: "ý",
  yuml: "ÿ",
  Agrave: "À",
  Aacute: "Á",
  Acirc: "Â",
  Atilde: "Ã",
  Auml: "Ä",
  Aring: "Å",
  AElig: "Æ",
  Ccedil: "Ç",
  Egrave: "È",
  Eacute: "É",
  Ecirc: "Ê",
  Euml: "Ë",
  Igrave: "Ì",
  Iacute: "Í",
  Icirc: "Î",
  Iuml: "Ï",
  Ntilde: "Ñ",
  Ograve: "Ò",
  Oacute: "Ó",
  Ocirc: "Ô",
  Otilde: "Õ",
  Ouml: "Ö",
  Oslash: "Ø",
  Ugrave: "Ù",
  Uacute: "Ú",
  Ucirc: "Û",
  Uuml: "Ü",
  Yacute: "Ý",
  oelig: "œ",
  OElig: "Œ",
  scaron: "š",
  Scaron: "Š",
  zcaron: "ž",
  Zcaron: "Ž",
  fnof: "ƒ",
  circ: "ˆ",
  tilde: "˜",
};
/** Entities HTML still decodes without the closing `;`. */
const LEGACY_ENTITIES = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);
/** Numeric references 0x80–0x9F mean Windows-1252 characters (HTML's rule; Word writes `&#150;`). */
const WINDOWS_1252 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/** HTML's character references decoded as browsers do: named, decimal, hex, and Windows-1252 for 0x80–0x9F. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(
    /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}))(;?)/g,
    (match, dec?: string, hex?: string, name?: string, semi?: string) => {
      if (name !== undefined) {
        const value = ENTITIES[name];
        return value !== undefined && (semi || LEGACY_ENTITIES.has(name)) ? value : match;
      }
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
      if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252[code - 0x80]!;
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    },
  );
}

export interface Tag {
  name: string;
  closing: boolean;
  attributes: Map<string, string>;
  /** Index just after the tag's `>` (or the end of the input when it never closes). */
  end: number;
}

const NAME_CHAR = /[A-Za-z0-9:_-]/;
const SPACE_CHAR = /[\s/]/;

/** Reads the tag at `html[start] === "<"`, or null when it is not one (then `<` is text). Linear in the tag's length. */
export function readTag(html: string, start: number): Tag | null {
  let p = start + 1;
  const closing = html[p] === "/";
  if (closing) p++;
  const nameStart = p;
  if (!/[A-Za-z]/.test(html[p] ?? "")) return null;
  while (p < html.length && NAME_CHAR.test(html[p]!)) p++;
  const name = html.slice(nameStart, p).toLowerCase();
  const attributes = new Map<string, string>();
  while (p < html.length && html[p] !== ">") {
    if (SPACE_CHAR.test(html[p]!)) {
      p++;
      continue;
    }
    const attrStart = p;
    while (p < html.length && !/[\s/>=]/.test(html[p]!)) p++;
    const attr = html.slice(attrStart, p).toLowerCase();
    if (p === attrStart) p++; // a stray `=`: skip it
    while (p < html.length && /\s/.test(html[p]!)) p++;
    let value = "";
    if (html[p] === "=") {
      p++;
      while (p < html.length && /\s/.test(html[p]!)) p++;
      const quote = html[p];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, p + 1);
        const stop = close < 0 ? html.length : close;
        value = html.slice(p + 1, stop);
        p = stop + 1;
      } else {
        const valueStart = p;
        while (p < html.length && !/[\s>]/.test(html[p]!)) p++;
        value = html.slice(valueStart, p);
      }
    }
    if (attr && !attributes.has(attr)) attributes.set(attr, decodeEntities(value));
  }
  return { name, closing, attributes, end: Math.min(p + 1, html.length) };
}

const closeTagFinders = new Map<string, RegExp>();
/** Where `</name` next starts at or after `from`, or -1. */
export function findCloseTag(html: string, name: string, from: number): number {
  let finder = closeTagFinders.get(name);
  if (!finder) {
    finder = new RegExp(`</${name}(?=[\\s/>])`, "gi");
    closeTagFinders.set(name, finder);
  }
  finder.lastIndex = from;
  return finder.exec(html)?.index ?? -1;
}
