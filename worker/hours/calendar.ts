// The business calendar: when support is open, holidays, the next opening, and what response
// a customer can expect. Pure functions over Intl only (no Hono, no D1, no offset tables).
import type { BusinessCalendar, HolidayRule, OpeningSpan, Weekday, WeeklyHours } from "../schemas/calendar";

export const DEFAULT_TIME_ZONE = "America/New_York";

const WORKDAY: OpeningSpan[] = [{ open: "08:00", close: "16:00" }];
export const DEFAULT_HOURS: WeeklyHours = { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY };

export const DEFAULT_HOLIDAYS: HolidayRule[] = [
  { kind: "fixed", name: "New Year's Day", month: 1, day: 1 },
  { kind: "last", name: "Memorial Day", month: 5, weekday: "mon" },
  { kind: "fixed", name: "Independence Day", month: 7, day: 4 },
  { kind: "nth", name: "Labor Day", month: 9, weekday: "mon", n: 1 },
  { kind: "nth", name: "Thanksgiving", month: 11, weekday: "thu", n: 4 },
  { kind: "fixed", name: "Christmas Day", month: 12, day: 25 },
];

export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: DEFAULT_TIME_ZONE,
  hours: DEFAULT_HOURS,
  holidays: DEFAULT_HOLIDAYS,
};

export type LocalDateTime = {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  hour: number;
  minute: number;
};
type LocalDate = { year: number; month: number; day: number };

// Indexed by Date#getUTCDay(); kept here so this module does not load zod at runtime.
const WEEKDAY_BY_INDEX: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const WEEKDAY_BY_SHORT_NAME: Readonly<Record<string, Weekday>> = {
  Sun: "sun",
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
};

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead nextOpening looks: more than a year, so any yearly pattern is covered. */
const SEARCH_DAYS = 400;

// Building a DateTimeFormat costs far more than using one, and isolates are reused across requests.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23", // "h23", not hour12:false, which may print midnight as "24"
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date and time in `timeZone` at the instant `at`. */
export function localDateTime(timeZone: string, at: Date): LocalDateTime {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(at)) p[type] = value;
  const weekday = WEEKDAY_BY_SHORT_NAME[p.weekday ?? ""];
  if (!weekday) throw new RangeError(`cannot read the weekday of ${at.toISOString()} in ${timeZone}`);
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    weekday,
    hour: Number(p.hour),
    minute: Number(p.minute),
  };
}

/** Milliseconds to add to UTC to get wall-clock time in `timeZone` at `ms` (whole minutes). */
function offsetAt(timeZone: string, ms: number): number {
  const l = localDateTime(timeZone, new Date(ms));
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(ms / MINUTE) * MINUTE;
}

/**
 * The UTC instant of a wall-clock time in `timeZone`, correct across DST. Out-of-range fields
 * roll over like Date.UTC (hour 24 is the next day's 00:00). A time skipped by spring-forward
 * gives the first instant after the gap; a time repeated by fall-back gives the first occurrence.
 */
export function zonedInstant(
  timeZone: string,
  t: { year: number; month: number; day: number; hour: number; minute: number },
): Date {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  // The offsets a day either side bracket at most one transition, so one of them is right.
  const before = offsetAt(timeZone, wall - DAY);
  const after = offsetAt(timeZone, wall + DAY);
  const fits = (ms: number) => ms + offsetAt(timeZone, ms) === wall;
  const candidates = [wall - before, wall - after].filter(fits).sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return new Date(first);
  // In a gap: the transition lies in (wall - after, wall - before]; find it to the minute.
  let lo = wall - after; // still on the old offset
  let hi = wall - before; // already on the new offset
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(timeZone, mid) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ruleMatches(rule: HolidayRule, d: LocalDate, weekday: Weekday): boolean {
  if (rule.month !== d.month) return false;
  switch (rule.kind) {
    case "fixed":
      return rule.day === d.day;
    case "nth":
      return rule.weekday === weekday && Math.ceil(d.day / 7) === rule.n;
    case "last":
      return rule.weekday === weekday && d.day + 7 > daysInMonth(d.year, d.month);
  }
}

function holidayOnDate(cal: BusinessCalendar, d: LocalDate, weekday: Weekday): HolidayRule | null {
  return cal.holidays.find((rule) => ruleMatches(rule, d, weekday)) ?? null;
}

/** The holiday on the local date of `at`, if any; holidays apply on their actual date (no "observed" days). */
export function holidayOn(cal: BusinessCalendar, at: Date): HolidayRule | null {
  const l = localDateTime(cal.timeZone, at);
  return holidayOnDate(cal, l, l.weekday);
}

/** "HH:MM" → minutes since local midnight; "24:00" is 1440. */
function minutesOf(clock: string): number {
  const [h = 0, m = 0] = clock.split(":").map(Number);
  return h * 60 + m;
}

/** The span open at the local time `l`, unless that day is a holiday. Spans are [open, close). */
function currentSpan(cal: BusinessCalendar, l: LocalDateTime): OpeningSpan | null {
  if (holidayOnDate(cal, l, l.weekday)) return null;
  const now = l.hour * 60 + l.minute;
  return (cal.hours[l.weekday] ?? []).find((s) => minutesOf(s.open) <= now && now < minutesOf(s.close)) ?? null;
}

export function isOpen(cal: BusinessCalendar, at: Date): boolean {
  return currentSpan(cal, localDateTime(cal.timeZone, at)) !== null;
}

function instantOf(timeZone: string, d: LocalDate, clock: string): Date {
  const minutes = minutesOf(clock);
  return zonedInstant(timeZone, { ...d, hour: Math.floor(minutes / 60), minute: minutes % 60 });
}

/**
 * The first instant at or after `after` when support is open: `after` itself if open, else the
 * start of the next span, skipping closed days and holidays. Null if nothing opens within ~400 days.
 */
export function nextOpening(cal: BusinessCalendar, after: Date): Date | null {
  if (isOpen(cal, after)) return after;
  if (!Object.values(cal.hours).some((spans) => spans.length > 0)) return null;
  const start = localDateTime(cal.timeZone, after);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    // Walk civil dates in UTC arithmetic: a local day is a calendar date, whatever its length.
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const d = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    const weekday = WEEKDAY_BY_INDEX[date.getUTCDay()];
    if (!weekday || holidayOnDate(cal, d, weekday)) continue;
    const opens = (cal.hours[weekday] ?? [])
      .map((s) => instantOf(cal.timeZone, d, s.open))
      .filter((t) => t.getTime() >= after.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
    if (opens[0]) return opens[0];
  }
  return null;
}

/**
 * When support next closes, if open at `at` (null when closed). Spans that touch, such as
 * 08:00–12:00 then 12:00–16:00 or a day ending at 24:00 and the next starting at 00:00, count as one.
 */
export function nextClosing(cal: BusinessCalendar, at: Date): Date | null {
  let t = at;
  while (t.getTime() - at.getTime() <= SEARCH_DAYS * DAY) {
    const l = localDateTime(cal.timeZone, t);
    const span = currentSpan(cal, l);
    if (!span) return t === at ? null : t;
    const close = instantOf(cal.timeZone, l, span.close);
    // In the hour repeated by fall-back, zonedInstant gives the first occurrence; we need the second.
    const shift = close > t ? 0 : offsetAt(cal.timeZone, close.getTime()) - offsetAt(cal.timeZone, t.getTime());
    t = new Date(close.getTime() + shift);
  }
  return null; // open around the clock for the whole horizon
}

export type ExpectedResponse =
  | { kind: "business_hours" }
  /** After hours, emergency priority, before local midnight: the on-call team is alerted. */
  | { kind: "on_call" }
  /** After hours, emergency priority, between local midnight and 06:00. */
  | { kind: "next_morning" }
  /** After hours, other priorities; opensAt is an ISO UTC instant, null if the calendar never opens. */
  | { kind: "next_business_day"; opensAt: string | null };

/** What a customer can expect for a ticket of `priority` raised at `at`. */
export function expectedResponse(
  cal: BusinessCalendar,
  priority: string,
  at: Date,
  emergencyPriorities: readonly string[] = ["high", "urgent"],
): ExpectedResponse {
  if (isOpen(cal, at)) return { kind: "business_hours" };
  if (emergencyPriorities.includes(priority)) {
    // From midnight to 06:00 the alert still goes out, but it may not be seen until the morning.
    return localDateTime(cal.timeZone, at).hour >= 6 ? { kind: "on_call" } : { kind: "next_morning" };
  }
  return { kind: "next_business_day", opensAt: nextOpening(cal, at)?.toISOString() ?? null };
}
