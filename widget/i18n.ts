import { type Catalogue, en, type MessageKey } from "./locales/en";

export type Locale = "en" | "ru";
export const LOCALES: readonly Locale[] = ["en", "ru"];

interface Loaded {
  catalogue: Catalogue;
  tenantText: Record<string, string>;
}

const loaded = new Map<Locale, Loaded>([["en", { catalogue: en, tenantText: {} }]]);

/** Picks a supported locale from a BCP 47 tag ("ru-RU" → "ru"); English otherwise. */
export function pickLocale(tag: string | null | undefined): Locale {
  const base = (tag ?? "").toLowerCase().split("-")[0];
  return (LOCALES as readonly string[]).includes(base ?? "") ? (base as Locale) : "en";
}

/** Loads a locale's catalogue on first use; only English ships in the first view. */
export async function loadLocale(locale: Locale): Promise<void> {
  if (loaded.has(locale)) return;
  const m = await import("./locales/ru");
  loaded.set(locale, { catalogue: m.ru, tenantText: m.ruTenantText });
}

/** Plural categories in the order a `{n|…}` placeholder lists its forms; a missing form is the last given. */
const FORMS: readonly Intl.LDMLPluralRule[] = ["one", "few", "many", "other"];

/**
 * Puts `params` into a catalogue's placeholders: `{name}` is the value; `{name|one|few|many}`
 * is the word that agrees with the number `name` in `locale` (Intl.PluralRules: English needs
 * `{n|character|characters}`, Russian `{n|символа|символов}` after «не меньше»).
 */
export function fill(template: string, params: Record<string, string | number> = {}, locale: Locale = "en"): string {
  return template.replace(/\{(\w+)((?:\|[^|}]*)*)\}/g, (whole, name: string, forms: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (!forms) return String(value);
    const words = forms.slice(1).split("|");
    const index = FORMS.indexOf(new Intl.PluralRules(locale).select(Number(value)));
    return words[Math.min(index, words.length - 1)] ?? "";
  });
}

/** The widget's strings in one locale: `msg(key, params)` and `tenant(text)` for tenant content. */
export class Messages {
  constructor(readonly locale: Locale) {}

  get #current(): Loaded {
    return loaded.get(this.locale) ?? loaded.get("en")!;
  }

  msg(key: MessageKey, params: Record<string, string | number> = {}): string {
    return fill(this.#current.catalogue[key], params, this.locale);
  }

  /** Tenant-configured text: translated when it is the default wording, else as the tenant wrote it. */
  tenant(text: string): string {
    return this.#current.tenantText[text] ?? text;
  }

  dateTime(iso: string, style: "short" | "long" = "short"): string {
    return new Intl.DateTimeFormat(
      this.locale,
      style === "short"
        ? { dateStyle: "medium", timeStyle: "short" }
        : { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit", timeZoneName: "short" },
    ).format(new Date(iso));
  }
}
