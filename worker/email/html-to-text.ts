/**
 * Mail HTML as plain text, for extractReply: the words a person would read, with quoted history
 * marked with `>` so that it is removed as it would be from a text part. Pure, no I/O, and linear
 * in the input: mail is attacker-chosen, so nothing here may backtrack over a whole document.
 */
import { decodeEntities, findCloseTag, readTag, type Tag } from "./html-lexer";

/** Elements whose start and end break the line. */
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "caption",
  "center",
  "dd",
  "details",
  "dialog",
  "dir",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "li",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "tfoot",
  "thead",
  "tr",
  "ul",
]);
/** Blocks with margins above and below: a blank line around them. */
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6"]);
/** Elements whose content is never shown; skipped whole, up to their end tag. */
const RAW_SKIP = new Set(["style", "script", "title", "template", "noscript", "xml", "svg", "object"]);
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

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

const linkTarget = (href: string) =>
  href
    .replace(/^https?:\/\//i, "")
    .replace(/\/$/, "")
    .toLowerCase();

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
