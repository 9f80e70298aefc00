import { describe, expect, it } from "vitest";
import { fill } from "../../widget/i18n";
import { en } from "../../widget/locales/en";
import { ru } from "../../widget/locales/ru";

describe("fill: placeholders and plural forms", () => {
  it("puts values in and leaves an unknown placeholder visible", () => {
    expect(fill("Ticket #{number} ({missing})", { number: 42 })).toBe("Ticket #42 ({missing})");
  });

  it("picks the English form by Intl.PluralRules", () => {
    expect(fill(en.tooShort, { n: 1 }, "en")).toBe("Please write at least 1 character.");
    expect(fill(en.tooShort, { n: 10 }, "en")).toBe("Please write at least 10 characters.");
  });

  it("makes the Russian noun agree with the number (one / few / many)", () => {
    // «не меньше» takes the genitive: 1, 21 → «символа»; 2–4, 5–20, 25 → «символов».
    const said = [1, 2, 5, 11, 21, 22, 25, 101].map((n) => fill(ru.tooShort, { n }, "ru"));
    expect(said).toEqual([
      "Напишите не меньше 1 символа.",
      "Напишите не меньше 2 символов.",
      "Напишите не меньше 5 символов.",
      "Напишите не меньше 11 символов.",
      "Напишите не меньше 21 символа.",
      "Напишите не меньше 22 символов.",
      "Напишите не меньше 25 символов.",
      "Напишите не меньше 101 символа.",
    ]);
  });

  it("says Russian dates after a colon, so no preposition needs a case the date cannot take", () => {
    const when = new Intl.DateTimeFormat("ru", { weekday: "long", day: "numeric", month: "long" }).format(
      new Date(Date.UTC(2026, 10, 30, 9)),
    );
    expect(fill(ru.supportClosedUntil, { when }, "ru")).toBe(
      "Поддержка сейчас не работает. Начало работы: понедельник, 30 ноября.",
    );
    // The strings whose {when} is the long form, which starts with the weekday in the nominative.
    for (const text of [ru.supportClosedUntil, ru.expectNextBusinessDay])
      expect(text).not.toMatch(/(?:^|\s)(?:в|с|до|откроемся) \{when\}/);
  });
});
