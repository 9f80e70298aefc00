/**
 * Whether a customer's words seem to carry a password, so that agents see a warning on the
 * message and can tell the customer to use the panel instead. Pure, no I/O.
 */

/** A value after "password:" that is a word of a sentence, not a secret ("Password: see the panel"). */
const NOT_A_SECRET = new Set([
  "i",
  "i'm",
  "i've",
  "i'll",
  "it",
  "it's",
  "its",
  "we",
  "you",
  "he",
  "she",
  "they",
  "the",
  "a",
  "an",
  "is",
  "was",
  "are",
  "be",
  "been",
  "not",
  "no",
  "none",
  "n/a",
  "na",
  "same",
  "see",
  "use",
  "please",
  "reset",
  "changed",
  "change",
  "forgot",
  "forgotten",
  "expired",
  "incorrect",
  "wrong",
  "invalid",
  "required",
  "unknown",
  "unchanged",
  "correct",
  "ok",
  "okay",
  "works",
  "working",
  "does",
  "doesn't",
  "did",
  "didn't",
  "don't",
  "can",
  "can't",
  "cannot",
  "could",
  "won't",
  "isn't",
  "wasn't",
  "will",
  "would",
  "should",
  "must",
  "has",
  "have",
  "had",
  "still",
  "now",
  "also",
  "just",
  "only",
  "then",
  "and",
  "or",
  "but",
  "so",
  "if",
  "too",
  "how",
  "what",
  "why",
  "when",
  "where",
  "which",
  "who",
  "in",
  "on",
  "at",
  "for",
  "from",
  "by",
  "with",
  "via",
  "to",
  "of",
  "my",
  "your",
  "our",
  "their",
  "this",
  "that",
  "sent",
  "removed",
  "redacted",
  "hidden",
  "attached",
  "below",
  "above",
  "here",
  "there",
  "yes",
  "do",
  "as",
  "send",
  "sending",
  "не",
  "нет",
  "я",
  "мы",
  "вы",
  "он",
  "она",
  "оно",
  "они",
  "это",
  "тот",
  "та",
  "такой",
  "же",
  "так",
  "как",
  "что",
  "почему",
  "где",
  "когда",
  "прежний",
  "старый",
  "сброшен",
  "сбросил",
  "сбросила",
  "изменён",
  "изменен",
  "изменил",
  "изменила",
  "неверный",
  "верный",
  "правильный",
  "неправильный",
  "в",
  "на",
  "от",
  "для",
  "по",
  "из",
  "с",
  "у",
  "к",
  "см",
  "смотрите",
  "ниже",
  "выше",
  "скрыт",
  "удалён",
  "удален",
  "отправлю",
  "пришлю",
  "отправил",
  "отправила",
  "и",
  "или",
  "но",
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

const QUOTES = /^["'«“‘`([<]+|["'»”’`)\]>]+$/gu;
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
