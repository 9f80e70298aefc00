/**
 * Mail HTML as plain text, for extractReply: the words a person would read, with quoted history
 * marked with `>` so that it is removed as it would be from a text part. Pure, no I/O, and linear
 * in the input: mail is attacker-chosen, so nothing here may backtrack over a whole document.
 */

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
