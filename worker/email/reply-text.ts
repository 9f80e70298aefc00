/**
 * The words a customer typed in an emailed reply: what goes on the ticket. Mail clients mark
 * what they quote in different ways (`>` lines, an attribution line, Outlook's header block,
 * HTML blockquotes), so the rules below follow those shapes; knowing the exact text we sent
 * also lets us recognise our own words when a client re-wraps them or drops the `>`.
 *
 * Pure functions, no I/O. Everything runs in time linear in the input: mail is attacker-chosen,
 * so no pattern here may backtrack over a whole document.
 *
 * Decisions:
 * - Inline answers are kept in order, separated by a blank line, WITHOUT the quoted lines they
 *   answer: the ticket thread shows our message right above the reply, and re-quoting it would
 *   put our text (and whatever else the customer's client quoted) back on the ticket.
 * - Unquoted history (Outlook, or an attribution followed by unmarked text) is cut only behind
 *   a separator line or when it holds text we sent: a customer pasting mail headers or a
 *   colleague's words into a new ticket must not lose them.
 * - A forwarded message (an explicit "Forwarded message" marker) is content: kept verbatim.
 * - A signature counts only behind the standard `-- ` line; "Best regards, Alice" stays.
 * - Runs of blank lines become one.
 */

export interface ExtractedReply {
  text: string;
  /** Quoted lines, an attribution, quoted history or our own text was taken out. */
  quoteRemoved: boolean;
  /** A `-- ` signature or a mobile footer ("Sent from my iPhone") was taken out. */
  signatureRemoved: boolean;
}

const QUOTED = /^[ \t]*>/;
const QUOTED_ANYWHERE = /^[ \t]*>/m;

/** "-- " once trailing whitespace is trimmed (some clients drop the space anyway). */
const SIGNATURE_DELIMITER = "--";

const DEVICE = String.raw`(?:iphone|ipad|ipod|apple watch|android|samsung|galaxy|blackberry|huawei|xiaomi|pixel|mobile|phone|smartphone|tablet)[\w .()-]{0,30}`;
/** Footers mobile clients append; Outlook's plain text renders its link as `text<url>`. */
const MOBILE_FOOTER = new RegExp(
  "^(?:" +
    [
      String.raw`sent from my ${DEVICE}`,
      String.raw`sent (?:from|via) (?:the )?(?:samsung|galaxy) ${DEVICE}`,
      String.raw`sent from (?:mail|outlook) for (?:windows(?: 1[01])?|ios|android|mac)`,
      String.raw`get outlook for (?:ios|android|mac)`,
      String.raw`sent from yahoo mail (?:for|on) (?:iphone|ipad|android)`,
      String.raw`sent (?:from|with) proton ?mail[\w ]{0,30}`,
      String.raw`отправлено (?:с|из) (?:моего )?(?:iphone|ipad|android|мобильной почты|мобильного|приложения)[\p{L}\w .-]{0,40}`,
    ].join("|") +
    String.raw`)[.!]?(?:[ \t]*<https?://[^\s<>]{1,200}>)?$`,
  "iu",
);

/** The end of an attribution: "… wrote:" in English and in the languages clients most often localise it to. */
const ATTRIBUTION_VERB = /(?:wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|skrev|napisał\(a\)|napisał|написал\(а\)|написала|написал|пишет)[ \t]*:$/iu;
/** How dated attributions start: "On Mon, …", "Am …", "Le …". */
const ATTRIBUTION_LEAD = /^(?:on|am|le|el|il|op|den|w dniu|в)[ \t]/iu;
/** Gmail in some languages ends with the address alone: "пн, 23 нояб. 2026 г. в 10:00, Name <a@b>:". */
const ADDRESS_COLON = /<[^\s<>@]{1,64}@[^\s<>]{1,255}>[ \t]*:$/u;
const MAX_ATTRIBUTION = 300;

/** A line that starts quoted history in the clients that do not quote with `>`. */
const ORIGINAL_MESSAGE =
  /^-{2,}[ \t]*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|исходное сообщение)[ \t]*-{2,}$/iu;
const RULE = /^_{10,}$/;
const HEADER_FROM = /^\*?(?:from|von|de|van|da|från|fra|od|от|від|kimden)\*?[ \t]*:/iu;
const HEADER_DATE = /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|data|verzonden|skickat|sendt|wysłano|отправлено|дата|надіслано)\*?[ \t]*:/iu;
const HEADER_SUBJECT = /^\*?(?:subject|betreff|objet|asunto|oggetto|onderwerp|ämne|emne|temat|тема)\*?[ \t]*:/iu;

/** Where forwarded content starts (Gmail, Apple Mail, Thunderbird, localised). */
const FORWARD_MARKER =
  /^(?:-{3,}[ \t]*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|пересылаемое сообщение|переслане повідомлення)[ \t]*-{3,}|begin forwarded message:|anfang der weitergeleiteten nachricht:|начало переадресованного сообщения:)$/iu;

/** Lines with CR/CRLF made LF, trailing whitespace gone, and byte-order marks (iOS leaves them in quotes) removed. */
function toLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\ufeff/g, "")
    .split("\n")
    .map((line) => line.trimEnd());
}

/** One blank line at most in a row, none at either end; `null` marks removed text between answers. */
function finish(entries: (string | null)[]): string {
  const out: string[] = [];
  let gap = false;
  for (const entry of entries) {
    if (entry === null) {
      gap = true;
    } else if (entry === "") {
      if (out.length && out[out.length - 1] !== "") out.push("");
    } else {
      if (gap && out.length && out[out.length - 1] !== "") out.push("");
      gap = false;
      out.push(entry);
    }
  }
  while (out.length && out[out.length - 1] === "") out.pop();
  return out.join("\n");
}

/** Whitespace collapsed, typographic quotes made plain, lower case: how a quote compares with what we sent. */
function comparable(s: string): string {
  return s
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\s\u00a0]+/g, " ")
    .trim()
    .toLowerCase();
}

/** A run of our text must be this long to count, so a customer's short sentence that happens to match ours stays. */
const MIN_OUR_WORDS = 8;
const MIN_OUR_CHARS = 40;

/**
 * Marks unquoted lines that repeat what we sent: runs of consecutive lines (blank lines inside
 * allowed) whose joined text occurs in one of our bodies, whatever the line breaks. Catches
 * quotes whose `>` a client dropped, and text a client re-wrapped.
 */
function markOurLines(lines: string[], sent: string[]): boolean[] {
  const ours = lines.map(() => false);
  const bodies = sent.map(comparable).filter(Boolean);
  if (!bodies.length) return ours;
  // A line can only be part of our text if each of its words is one of ours: a cheap test that
  // keeps the substring search away from most lines of a long mail.
  const words = new Set(bodies.flatMap((b) => b.split(" ")));
  const candidate = (line: string): string | null => {
    if (!line || QUOTED.test(line)) return null;
    const c = comparable(line);
    return c && c.split(" ").every((w) => words.has(w)) ? c : null;
  };
  const inSent = (s: string) => bodies.some((b) => b.includes(s));

  let i = 0;
  while (i < lines.length) {
    const first = candidate(lines[i]!);
    if (first === null || !inSent(first)) {
      i++;
      continue;
    }
    let joined = first;
    let end = i;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      if (!line) continue;
      const next = candidate(line);
      if (next === null || !inSent(`${joined} ${next}`)) break;
      joined = `${joined} ${next}`;
      end = j;
    }
    if (joined.length >= MIN_OUR_CHARS && joined.split(" ").length >= MIN_OUR_WORDS) {
      for (let k = i; k <= end; k++) ours[k] = true;
      i = end + 1;
    } else {
      i++;
    }
  }
  return ours;
}

interface Attribution {
  /** Lines it takes: Gmail wraps a long one over two. */
  span: number;
  /** "On <date> … wrote:": certain enough to cut unquoted text after it. */
  dated: boolean;
}

function attributionAt(lines: string[], i: number): Attribution | null {
  const first = lines[i]!;
  if (!first || first.length > MAX_ATTRIBUTION || QUOTED.test(first)) return null;
  const second = lines[i + 1];
  const candidates: [string, number][] = [[first, 1]];
  if (second && !QUOTED.test(second) && second.length <= MAX_ATTRIBUTION && (ATTRIBUTION_LEAD.test(first) || /\d/.test(first))) {
    // Gmail breaks inside the address ("… Support <" / "support@… > wrote:"): rejoin without a space there.
    candidates.push([first.endsWith("<") ? first + second.trimStart() : `${first} ${second.trimStart()}`, 2]);
  }
  for (const [text, span] of candidates) {
    const hasDigit = /\d/.test(text);
    if (ATTRIBUTION_VERB.test(text)) return { span, dated: ATTRIBUTION_LEAD.test(text) && hasDigit };
    if (hasDigit && ADDRESS_COLON.test(text)) return { span, dated: false };
  }
  return null;
}

/** Outlook's "From: / Sent: / To: / Subject:" block (To and Cc optional, any order after From). */
function headerBlockAt(lines: string[], i: number): boolean {
  const first = lines[i];
  if (first === undefined || !HEADER_FROM.test(first)) return false;
  let date = false;
  let subject = false;
  for (let j = i + 1; j < Math.min(lines.length, i + 8); j++) {
    const line = lines[j]!;
    if (!line) break;
    if (HEADER_DATE.test(line)) date = true;
    else if (HEADER_SUBJECT.test(line)) subject = true;
  }
  return date && subject;
}

function nextNonBlank(lines: string[], from: number): number {
  let j = from;
  while (j < lines.length && !lines[j]) j++;
  return j;
}

/** The reply in one text: the typed lines with quotes, history and signature taken out. */
function extractFromText(text: string, sent: string[]): ExtractedReply {
  const lines = toLines(text);
  const ours = markOurLines(lines, sent);
  // oursAfter[i]: some line at i or later is text we sent, so unquoted history there is ours.
  const oursAfter = new Array<boolean>(lines.length + 1).fill(false);
  for (let i = lines.length - 1; i >= 0; i--) oursAfter[i] = ours[i]! || oursAfter[i + 1]!;
  const quoteLike = (j: number) => j < lines.length && (QUOTED.test(lines[j]!) || ours[j]!);

  const entries: (string | null)[] = [];
  let quoteRemoved = false;
  let signatureRemoved = false;
  let inSignature = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FORWARD_MARKER.test(line)) {
      entries.push(...lines.slice(i));
      break;
    }
    if (QUOTED.test(line) || ours[i]) {
      quoteRemoved = true;
      inSignature = false;
      entries.push(null);
      continue;
    }
    const attribution = attributionAt(lines, i);
    if (attribution) {
      const after = i + attribution.span;
      if (quoteLike(nextNonBlank(lines, after))) {
        quoteRemoved = true;
        inSignature = false;
        entries.push(null);
        i = after - 1;
        continue;
      }
      if (attribution.dated && oursAfter[after]) {
        quoteRemoved = true;
        break;
      }
    }
    if (ORIGINAL_MESSAGE.test(line) || (RULE.test(line) && headerBlockAt(lines, nextNonBlank(lines, i + 1)))) {
      quoteRemoved = true;
      break;
    }
    if (headerBlockAt(lines, i) && oursAfter[i]) {
      quoteRemoved = true;
      break;
    }
    if (line === SIGNATURE_DELIMITER) {
      signatureRemoved = true;
      inSignature = true;
      continue;
    }
    if (inSignature) continue;
    if (line.length <= 300 && MOBILE_FOOTER.test(line)) {
      signatureRemoved = true;
      continue;
    }
    entries.push(line);
  }

  const reply = finish(entries);
  if (!reply) return { text: finish(lines), quoteRemoved: false, signatureRemoved: false };
  return { text: reply, quoteRemoved, signatureRemoved };
}

/**
 * The new text a person typed in a reply to one of our notifications. `sent` holds the
 * plain-text bodies we sent for this ticket, so a quote of them is recognised in any shape.
 *
 * The text part is used when there is one (clients write it on purpose, and quote in it with
 * `>`); the HTML, converted by htmlToText, when there is none (postal-mime leaves `text` unset
 * for an HTML-only mail), or when the HTML quotes with a blockquote and the text has no `>`
 * line at all: that text alternative was flattened from the HTML and lost where the quote is.
 * If nothing is left after stripping, the whole text is returned instead (an empty ticket
 * message helps nobody), with `quoteRemoved` false.
 */
export function extractReply(mail: { text?: string; html?: string }, sent: string[]): ExtractedReply {
  const text = mail.text ?? "";
  const html = mail.html ?? "";
  const useHtml = html.trim() !== "" && (text.trim() === "" || (/<blockquote\b/i.test(html) && !QUOTED_ANYWHERE.test(text)));
  return extractFromText(useHtml ? htmlToText(html) : text, sent);
}

// ---------------------------------------------------------------------------------------------
// HTML to text

/** Elements whose start and end break the line. */
const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt",
  "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
  "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
]);
/** Blocks with margins above and below: a blank line around them. */
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6"]);
/** Elements whose content is never shown; skipped whole, up to their end tag. */
const RAW_SKIP = new Set(["style", "script", "title", "template", "noscript", "xml", "svg", "object"]);
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);

const ENTITIES: Record<string, string> = {
  nbsp: "\u00a0", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", copy: "©", reg: "®", trade: "™", hellip: "…",
  mdash: "—", ndash: "–", minus: "−", lsquo: "‘", rsquo: "’", sbquo: "‚", ldquo: "“", rdquo: "”", bdquo: "„",
  laquo: "«", raquo: "»", lsaquo: "‹", rsaquo: "›", bull: "•", middot: "·", euro: "€", pound: "£", yen: "¥",
  cent: "¢", curren: "¤", sect: "§", para: "¶", deg: "°", plusmn: "±", times: "×", divide: "÷", micro: "µ",
  frac12: "½", frac14: "¼", frac34: "¾", sup1: "¹", sup2: "²", sup3: "³", shy: "", zwnj: "\u200c", zwj: "\u200d",
  lrm: "\u200e", rlm: "\u200f", thinsp: "\u2009", ensp: "\u2002", emsp: "\u2003", iexcl: "¡", iquest: "¿",
  larr: "←", rarr: "→", uarr: "↑", darr: "↓", harr: "↔", rArr: "⇒", hearts: "♥", check: "✓", dagger: "†",
  Dagger: "‡", permil: "‰", prime: "′", Prime: "″", ordf: "ª", ordm: "º", not: "¬", macr: "¯", acute: "´",
  uml: "¨", cedil: "¸", brvbar: "¦", szlig: "ß", agrave: "à", aacute: "á", acirc: "â", atilde: "ã", auml: "ä",
  aring: "å", aelig: "æ", ccedil: "ç", egrave: "è", eacute: "é", ecirc: "ê", euml: "ë", igrave: "ì", iacute: "í",
  icirc: "î", iuml: "ï", ntilde: "ñ", ograve: "ò", oacute: "ó", ocirc: "ô", otilde: "õ", ouml: "ö", oslash: "ø",
  ugrave: "ù", uacute: "ú", ucirc: "û", uuml: "ü", yacute: "ý", yuml: "ÿ", Agrave: "À", Aacute: "Á", Acirc: "Â",
  Atilde: "Ã", Auml: "Ä", Aring: "Å", AElig: "Æ", Ccedil: "Ç", Egrave: "È", Eacute: "É", Ecirc: "Ê", Euml: "Ë",
  Igrave: "Ì", Iacute: "Í", Icirc: "Î", Iuml: "Ï", Ntilde: "Ñ", Ograve: "Ò", Oacute: "Ó", Ocirc: "Ô", Otilde: "Õ",
  Ouml: "Ö", Oslash: "Ø", Ugrave: "Ù", Uacute: "Ú", Ucirc: "Û", Uuml: "Ü", Yacute: "Ý", oelig: "œ", OElig: "Œ",
  scaron: "š", Scaron: "Š", zcaron: "ž", Zcaron: "Ž", fnof: "ƒ", circ: "ˆ", tilde: "˜",
};
/** Entities HTML still decodes without the closing `;`. */
const LEGACY_ENTITIES = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);
/** Numeric references 0x80–0x9F mean Windows-1252 characters (HTML's rule; Word writes `&#150;`). */
const WINDOWS_1252 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}))(;?)/g, (match, dec?: string, hex?: string, name?: string, semi?: string) => {
    if (name !== undefined) {
      const value = ENTITIES[name];
      return value !== undefined && (semi || LEGACY_ENTITIES.has(name)) ? value : match;
    }
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252[code - 0x80]!;
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
    return String.fromCodePoint(code);
  });
}

interface Tag {
  name: string;
  closing: boolean;
  attributes: Map<string, string>;
  /** Index just after the tag's `>` (or the end of the input when it never closes). */
  end: number;
}

const NAME_CHAR = /[A-Za-z0-9:_-]/;
const SPACE_CHAR = /[\s/]/;

/** Reads the tag at `html[start] === "<"`, or null when it is not one (then `<` is text). Linear in the tag's length. */
function readTag(html: string, start: number): Tag | null {
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
function findCloseTag(html: string, name: string, from: number): number {
  let finder = closeTagFinders.get(name);
  if (!finder) {
    finder = new RegExp(`</${name}(?=[\\s/>])`, "gi");
    closeTagFinders.set(name, finder);
  }
  finder.lastIndex = from;
  return finder.exec(html)?.index ?? -1;
}

interface OpenElement {
  name: string;
  block: boolean;
  paragraph: boolean;
  quote: boolean;
  pre: boolean;
  list: boolean;
  href: string | null;
}

const classes = (attributes: Map<string, string>) => (attributes.get("class") ?? "").toLowerCase().split(/\s+/);

/** Containers that hold only quoted history: Thunderbird's attribution, Yahoo's and Outlook for Mac's quote wrappers. */
function isQuoteContainer(tag: Tag): boolean {
  if (tag.name === "blockquote") {
    // type=cite is Apple's and Thunderbird's quote; a border:none blockquote is Gmail's/Outlook's "indent".
    if ((tag.attributes.get("type") ?? "").toLowerCase() === "cite") return true;
    return !/border\s*:\s*none/i.test(tag.attributes.get("style") ?? "");
  }
  const cls = classes(tag.attributes);
  if (cls.includes("moz-cite-prefix") || cls.includes("yahoo_quoted")) return true;
  return (tag.attributes.get("id") ?? "").toLowerCase() === "mail-editor-reference-message-container";
}

/**
 * Deepest nesting written out as `>` marks or list indentation. Real mail stays far below it;
 * without a cap, thousands of nested blockquotes or lists would repeat thousands of marks on
 * every line, and the output would grow with the square of the input.
 */
const MAX_SHOWN_DEPTH = 20;

const linkTarget = (href: string) => href.replace(/^https?:\/\//i, "").replace(/\/$/, "").toLowerCase();

/**
 * Mail HTML as plain text: blocks and `<br>` become line breaks, paragraphs a blank line,
 * list items `- ` / `1. `, entities decoded (named, decimal, hex), links `text <url>` when the
 * text does not show the URL, and `<head>`, `<style>`, `<script>` dropped. Quoted history
 * becomes `> `-quoted lines, so extractReply's rules remove it as they would in a text part:
 * blockquotes (Gmail's gmail_quote, Apple's and Thunderbird's type="cite"; not Gmail's
 * border:none "indent"), Thunderbird's moz-cite-prefix attribution, and everything from
 * Outlook's divRplyFwdMsg header block on (Outlook puts the original after it, not inside).
 *
 * A single forward pass with no backtracking patterns: linear in the input's length.
 */
export function htmlToText(html: string): string {
  const lines: { depth: number; text: string }[] = [];
  let current = "";
  /** `current` holds only a list marker so far. */
  let markerOnly = false;
  /** Something was written to `current`, even a lone &nbsp; (Word's blank paragraph). */
  let written = false;
  let depth = 0;
  let quoteRest = 0;
  let preDepth = 0;
  let suppressed = false;
  let skipPreNewline = false;
  let link: { href: string; text: string } | null = null;
  const stack: OpenElement[] = [];
  const openCount = new Map<string, number>();
  const lists: { ordered: boolean; next: number }[] = [];

  /**
   * A blank line waits for the next line with words, so there is never more than one in a row
   * nor any at either end, and it takes the shallower quote depth of its two neighbours
   * ("text", "", "> quote" rather than "text", ">", "> quote").
   */
  let blankPending = false;
  const push = (raw: string) => {
    const text = raw.replace(/\u00a0/g, " ").trimEnd();
    const lineDepth = depth + quoteRest;
    const last = lines[lines.length - 1];
    if (!text) {
      if (last) blankPending = true;
      return;
    }
    if (blankPending && last) lines.push({ depth: Math.min(last.depth, lineDepth), text: "" });
    blankPending = false;
    lines.push({ depth: lineDepth, text });
  };
  const endLine = () => {
    if (written && !markerOnly) push(current);
    if (!markerOnly) current = "";
    written = markerOnly;
  };
  const blankLine = () => {
    endLine();
    if (lines.length) blankPending = true;
  };
  const write = (text: string) => {
    if (!text) return;
    current += text;
    if (link) link.text += text;
    written = true;
    markerOnly = false;
  };
  const writeFlow = (raw: string) => {
    let text = decodeEntities(raw).replace(/[ \t\n\r\f]+/g, " ");
    if (current === "" || current.endsWith(" ")) text = text.replace(/^ /, "");
    write(text);
  };
  const writePre = (raw: string) => {
    let text = decodeEntities(raw).replace(/\r\n?/g, "\n");
    if (skipPreNewline && text.startsWith("\n")) text = text.slice(1);
    skipPreNewline = false;
    const parts = text.split("\n");
    parts.forEach((part, k) => {
      if (k > 0) {
        push(current);
        current = "";
        written = false;
      }
      write(part);
    });
  };

  const open = (tag: Tag) => {
    const { name } = tag;
    if (name === "body") suppressed = false;
    if (name === "head") suppressed = true;
    if (name === "br") {
      push(current);
      current = "";
      written = false;
      markerOnly = false;
      return;
    }
    if (name === "hr") {
      // A rule carries no words; Outlook puts one before every quoted header block.
      blankLine();
      return;
    }
    if (name === "td" || name === "th") {
      if (current && !current.endsWith(" ") && !markerOnly) write(" ");
    }
    if (name === "div" && (tag.attributes.get("id") ?? "").toLowerCase() === "divrplyfwdmsg") {
      endLine();
      quoteRest = 1;
    }
    if (VOID.has(name)) return;

    const cls = classes(tag.attributes);
    const element: OpenElement = {
      name,
      block: BLOCK.has(name),
      paragraph: PARAGRAPH.has(name) && !cls.includes("msonormal"),
      quote: isQuoteContainer(tag),
      pre: name === "pre",
      list: name === "ul" || name === "ol",
      href: null,
    };
    if (element.paragraph) blankLine();
    else if (element.block) endLine();
    if (element.quote) depth++;
    if (element.pre) {
      preDepth++;
      skipPreNewline = true;
    }
    if (element.list) {
      const start = Number.parseInt(tag.attributes.get("start") ?? "1", 10);
      lists.push({ ordered: name === "ol", next: Number.isFinite(start) ? start : 1 });
    }
    if (name === "li") {
      const list = lists[lists.length - 1];
      const indent = "  ".repeat(Math.min(Math.max(0, lists.length - 1), MAX_SHOWN_DEPTH));
      current = indent + (list?.ordered ? `${list.next++}. ` : "- ");
      markerOnly = true;
      written = true;
    }
    if (name === "a") {
      const href = tag.attributes.get("href") ?? "";
      if (/^https?:\/\//i.test(href) && !link) {
        element.href = href;
        link = { href, text: "" };
      }
    }
    stack.push(element);
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
  };

  const close = (element: OpenElement) => {
    openCount.set(element.name, (openCount.get(element.name) ?? 1) - 1);
    if (element.href !== null && link) {
      const shown = linkTarget(link.text.trim());
      if (!shown.includes(linkTarget(link.href))) write(` <${link.href}>`);
      link = null;
    }
    if (element.name === "li" && markerOnly) {
      current = "";
      markerOnly = false;
      written = false;
    }
    if (element.paragraph) blankLine();
    else if (element.block) endLine();
    if (element.quote) depth--;
    if (element.pre) preDepth--;
    if (element.list) lists.pop();
    if (element.name === "head") suppressed = false;
  };

  let p = 0;
  while (p < html.length) {
    const lt = html.indexOf("<", p);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > p && !suppressed) {
      const raw = html.slice(p, textEnd);
      if (preDepth > 0) writePre(raw);
      else writeFlow(raw);
    }
    if (lt < 0) break;
    p = lt;
    if (html.startsWith("<!--", p)) {
      const endComment = html.indexOf("-->", p + 4);
      p = endComment < 0 ? html.length : endComment + 3;
      continue;
    }
    if (html[p + 1] === "!" || html[p + 1] === "?") {
      // <!DOCTYPE>, <![if …]> (Word), <?xml …?>: no text in them.
      const gt = html.indexOf(">", p);
      p = gt < 0 ? html.length : gt + 1;
      continue;
    }
    const tag = readTag(html, p);
    if (!tag) {
      if (!suppressed) writeFlow("<");
      p++;
      continue;
    }
    p = tag.end;
    if (tag.closing) {
      if (tag.name === "br") {
        open(tag); // browsers read </br> as <br>
      } else if ((openCount.get(tag.name) ?? 0) > 0) {
        let element = stack.pop();
        while (element) {
          close(element);
          if (element.name === tag.name) break;
          element = stack.pop();
        }
      }
      continue;
    }
    if (RAW_SKIP.has(tag.name)) {
      const endTag = findCloseTag(html, tag.name, p);
      if (endTag < 0) break;
      const gt = html.indexOf(">", endTag);
      p = gt < 0 ? html.length : gt + 1;
      continue;
    }
    open(tag);
  }
  endLine();

  return lines
    .map(({ depth: d, text }) => {
      const marks = ">".repeat(Math.min(d, MAX_SHOWN_DEPTH));
      return d === 0 ? text : text ? `${marks} ${text}` : marks;
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Passwords

/** A value after "password:" that is a word of a sentence, not a secret ("Password: see the panel"). */
const NOT_A_SECRET = new Set([
  "i", "i'm", "i've", "i'll", "it", "it's", "its", "we", "you", "he", "she", "they", "the", "a", "an", "is", "was", "are", "be",
  "been", "not", "no", "none", "n/a", "na", "same", "see", "use", "please", "reset", "changed", "change", "forgot", "forgotten",
  "expired", "incorrect", "wrong", "invalid", "required", "unknown", "unchanged", "correct", "ok", "okay", "works", "working",
  "does", "doesn't", "did", "didn't", "don't", "can", "can't", "cannot", "could", "won't", "isn't", "wasn't", "will", "would",
  "should", "must", "has", "have", "had", "still", "now", "also", "just", "only", "then", "and", "or", "but", "so", "if", "too",
  "how", "what", "why", "when", "where", "which", "who", "in", "on", "at", "for", "from", "by", "with", "via", "to", "of", "my",
  "your", "our", "their", "this", "that", "sent", "removed", "redacted", "hidden", "attached", "below", "above", "here",
  "there", "yes", "do", "as", "send", "sending",
  "не", "нет", "я", "мы", "вы", "он", "она", "оно", "они", "это", "тот", "та", "такой", "же", "так", "как", "что", "почему",
  "где", "когда", "прежний", "старый", "сброшен", "сбросил", "сбросила", "изменён", "изменен", "изменил", "изменила",
  "неверный", "верный", "правильный", "неправильный", "в", "на", "от", "для", "по", "из", "с", "у", "к", "см", "смотрите",
  "ниже", "выше", "скрыт", "удалён", "удален", "отправлю", "пришлю", "отправил", "отправила", "и", "или", "но",
]);

const NOT_LETTER = String.raw`(?<![\p{L}\p{N}])`;
/** "for FTP", "to the database", "от FTP", "для входа": what the password is for, up to three words. */
const QUALIFIER = String.raw`(?:[ \t]+(?:for|to|of|on|от|для|к|на)(?:[ \t]+[^\s:=]{1,40}){1,3})?`;
const VALUE = String.raw`[ \t]*(?:\r?\n[ \t]*)?(\S{1,100})`;
/** "password: x", "pass = x", "pwd: x", "login/pass: a/b", "пароль — x". Short keywords need `:` or `=`. */
const LABELLED = new RegExp(
  `${NOT_LETTER}(?:(?:password|passwd|passphrase|passcode|пароль)${QUALIFIER}[ \\t]*(?:[:=]|[—–]|[ \\t]-)|(?:pass|pwd|pw|пасс)[ \\t]*[:=])${VALUE}`,
  "giu",
);
/** "my password is x", "пароль это x": only with a value that looks like a secret. */
const DECLARED = new RegExp(
  `${NOT_LETTER}(?:password|passphrase|passcode|пароль)${QUALIFIER}[ \\t]+(?:is now|is still|is|was|will be|remains|это|теперь|будет|такой|сейчас)[ \\t]*:?[ \\t]+(\\S{1,100})`,
  "giu",
);
/** "password Sunflower-42", "пароль qwerty123": no verb at all, so the value must have digits or symbols. */
const BARE = new RegExp(`${NOT_LETTER}(?:password|пароль)${QUALIFIER}[ \\t]+(\\S{1,100})`, "giu");

const QUOTES = /^["'«“‘`(\[<]+|["'»”’`)\]>]+$/gu;
const clean = (token: string) => token.replace(/[.,;!?…]+$/u, "").replace(QUOTES, "");
const quotedToken = (token: string) => /^["'«“‘`]/u.test(token);
const masked = (value: string) => /^(?:[*•●·.]+|x{3,})$/iu.test(value);
const hasDigit = (value: string) => /\p{N}/u.test(value);
/** Symbols a password has and a word does not; apostrophes and hyphens are words' own. */
const hasSymbol = (value: string) => /[^\p{L}\p{N}'’-]/u.test(value);

function* valuesOf(pattern: RegExp, text: string): Generator<string> {
  for (const match of text.matchAll(pattern)) yield match[1]!;
}

/**
 * Whether the text seems to carry a credential, so the customer can be warned and told to use
 * the panel. The rule, tuned for few false alarms:
 * - a password keyword (password, passwd, passphrase, passcode, пароль; the short pass, pwd, pw
 *   only with `:` or `=`), optionally "for …"/"от …", then `:`, `=` or a dash, then a value that
 *   is not an ordinary word of a sentence (see NOT_A_SECRET) nor a mask like `****`;
 * - or "password is/was …", "пароль это …" with a value that looks like a secret: quoted, or
 *   with a digit, a symbol or a capital letter ("my password is not working" is no secret);
 * - or the keyword followed directly by a value of 4+ characters with a digit or a symbol that
 *   is not a number-word ("password Sunflower-42", "пароль qwerty123"; not "password 2-factor").
 * "I reset my password", "password reset link", "пароль не подходит" have no such value.
 */
export function mentionsPassword(text: string): boolean {
  for (const token of valuesOf(LABELLED, text)) {
    const value = clean(token);
    if (value && !masked(value) && !NOT_A_SECRET.has(value.toLowerCase())) return true;
  }
  for (const token of valuesOf(DECLARED, text)) {
    const value = clean(token);
    if (!value || masked(value)) continue;
    if (quotedToken(token)) return true; // 'correct horse': quoted, so meant literally
    if (NOT_A_SECRET.has(value.toLowerCase())) continue;
    if (hasDigit(value) || hasSymbol(value) || /\p{Lu}/u.test(value)) return true;
  }
  for (const token of valuesOf(BARE, text)) {
    const value = clean(token);
    if (value.length < 4 || masked(value) || NOT_A_SECRET.has(value.toLowerCase())) continue;
    if (/^\p{N}+[\p{L}-]*$/u.test(value) && !/^\p{N}+$/u.test(value)) continue; // "2-factor", "3rd"
    if (hasDigit(value) || hasSymbol(value)) return true;
  }
  return false;
}
