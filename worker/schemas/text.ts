import { z } from "@hono/zod-openapi";

/**
 * Text hygiene, in one place: every free-text field a person or a panel sends (subjects, messages,
 * names, assignees, reasons, tenant and department wording, guidance) is built from `singleLine` or
 * `multiLine`, so each is NFC-normalised, refuses broken UTF-16 and control characters, and a
 * single line loses invisible direction overrides.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Every C0 control (tab and line breaks too), DEL, C1 controls: none belongs in one line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Bidi embeddings, overrides and isolates, and the LRM/RLM marks: they make `exe.png` read as `gnp.exe`. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Keys that would reach an object's prototype: refused in every record a client sends. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

const lengths = (schema: z.ZodString, min: number, max: number) =>
  schema
    .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

/**
 * Text of several lines (a message, a reason, help text): trimmed, NFC; line feeds, carriage returns
 * and tabs kept; any other control character or a lone surrogate refused.
 */
export function multiLine(min: number, max: number) {
  const cleaned = z
    .string()
    .refine(wellFormed, { message: "is not valid Unicode (a lone surrogate)" })
    .overwrite((s) => s.normalize("NFC"))
    .trim()
    .refine((s) => !CONTROLS_BUT_LINE_BREAKS.test(s), { message: "contains control characters" });
  return lengths(cleaned, min, max);
}

/**
 * One line (a subject, a name, an assignee; these end up in mail headers and lists): trimmed, NFC,
 * bidi controls removed; any control character (line breaks and tabs too) or a lone surrogate refused.
 * Refused rather than removed, so `x\r\nBcc: …` is reported to whoever sent it instead of stored as `xBcc: …`.
 */
export function singleLine(min: number, max: number) {
  const cleaned = z
    .string()
    .refine(wellFormed, { message: "is not valid Unicode (a lone surrogate)" })
    .overwrite((s) => s.normalize("NFC").replace(BIDI_CONTROLS, ""))
    .trim()
    .refine((s) => !/[\r\n]/.test(s), { message: "must be a single line" })
    .refine((s) => !ANY_CONTROL.test(s), { message: "contains control characters" });
  return lengths(cleaned, min, max);
}

/**
 * A record a client sends, refusing prototype names as keys: zod drops a `__proto__` key silently,
 * so the keys are checked on the input, before the record is parsed.
 */
export function clientRecord<K extends z.ZodString, V extends z.ZodType>(key: K, value: V) {
  return z.preprocess(
    (input, ctx) => {
      if (typeof input === "object" && input !== null && !Array.isArray(input)) {
        for (const k of Object.keys(input)) {
          if (FORBIDDEN_KEYS.has(k))
            ctx.issues.push({ code: "custom", message: "is a reserved name", path: [k], input });
        }
      }
      return input;
    },
    z.record(key, value),
  );
}
