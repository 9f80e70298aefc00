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
import { htmlToText } from "./html-to-text";

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
      `sent from my ${DEVICE}`,
      `sent (?:from|via) (?:the )?(?:samsung|galaxy) ${DEVICE}`,
      `sent from (?:mail|outlook) for (?:windows(?: 1[01])?|ios|android|mac)`,
      `get outlook for (?:ios|android|mac)`,
      `sent from yahoo mail (?:for|on) (?:iphone|ipad|android)`,
      String.raw`sent (?:from|with) proton ?mail[\w ]{0,30}`,
      String.raw`отправлено (?:с|из) (?:моего )?(?:iphone|ipad|android|мобильной почты|мобильного|приложения)[\p{L}\w .-]{0,40}`,
    ].join("|") +
    String.raw`)[.!]?(?:[ \t]*<https?://[^\s<>]{1,200}>)?$`,
  "iu",
);

/** The end of an attribution: "… wrote:" in English and in the languages clients most often localise it to. */
const ATTRIBUTION_VERB =
  /(?:wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|skrev|napisał\(a\)|napisał|написал\(а\)|написала|написал|пишет)[ \t]*:$/iu;
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
const HEADER_DATE =
  /^\*?(?:sent|date|gesendet|datum|envoyé|enviado|fecha|inviato|data|verzonden|skickat|sendt|wysłano|отправлено|дата|надіслано)\*?[ \t]*:/iu;
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
    return c?.split(" ").every((w) => words.has(w)) ? c : null;
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
  if (
    second &&
    !QUOTED.test(second) &&
    second.length <= MAX_ATTRIBUTION &&
    (ATTRIBUTION_LEAD.test(first) || /\d/.test(first))
  ) {
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
  const useHtml =
    html.trim() !== "" && (text.trim() === "" || (/<blockquote\b/i.test(html) && !QUOTED_ANYWHERE.test(text)));
  return extractFromText(useHtml ? htmlToText(html) : text, sent);
}
