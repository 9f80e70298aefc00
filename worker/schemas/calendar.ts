import { z } from "@hono/zod-openapi";
import { singleLine } from "./text";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "use HH:MM, 24-hour clock (24:00 for end of day)");

export const OpeningSpan = z
  .object({ open: clockTime, close: clockTime })
  .refine((s) => s.open < s.close, { message: "close must be after open", path: ["close"] })
  .openapi("OpeningSpan");
export type OpeningSpan = z.infer<typeof OpeningSpan>;

export const WeeklyHours = z.partialRecord(Weekday, z.array(OpeningSpan).max(4)).openapi("WeeklyHours", {
  description: "Local opening spans per weekday; a day that is absent or empty is closed.",
  example: { mon: [{ open: "08:00", close: "16:00" }] },
});
export type WeeklyHours = z.infer<typeof WeeklyHours>;

const month = z.number().int().min(1).max(12);

export const HolidayRule = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("fixed"),
      name: singleLine(1, 80),
      month,
      day: z.number().int().min(1).max(31),
    }),
    z.object({
      kind: z.literal("nth"),
      name: singleLine(1, 80),
      month,
      weekday: Weekday,
      n: z.number().int().min(1).max(4),
    }),
    z.object({
      kind: z.literal("last"),
      name: singleLine(1, 80),
      month,
      weekday: Weekday,
    }),
  ])
  .openapi("HolidayRule", {
    description:
      "A holiday is a rule, not a date: it recurs every year (`fixed` month and day, the `nth` or `last` weekday of a month).",
  });
export type HolidayRule = z.infer<typeof HolidayRule>;

export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "not an IANA time zone (e.g. America/New_York)" },
);

export const BusinessCalendar = z.object({
  timeZone: TimeZone,
  hours: WeeklyHours,
  holidays: z.array(HolidayRule).max(50),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;
