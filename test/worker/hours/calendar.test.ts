import { describe, expect, it } from "vitest";
import {
  DEFAULT_CALENDAR,
  expectedResponse,
  holidayOn,
  isOpen,
  localDateTime,
  nextClosing,
  nextOpening,
  zonedInstant,
} from "../../../worker/hours/calendar";
import type { BusinessCalendar } from "../../../worker/schemas/calendar";

// Every instant is written out with its offset, so a test never depends on the code it checks.
const at = (iso: string) => new Date(iso);
const cal = DEFAULT_CALENDAR;

describe("default holidays", () => {
  // [holiday, local date, UTC offset that day]
  const holidays: [string, string, string][] = [
    ["New Year's Day", "2025-01-01", "-05:00"],
    ["Memorial Day", "2025-05-26", "-04:00"],
    ["Independence Day", "2025-07-04", "-04:00"],
    ["Labor Day", "2025-09-01", "-04:00"],
    ["Thanksgiving", "2025-11-27", "-05:00"],
    ["Christmas Day", "2025-12-25", "-05:00"],
    ["New Year's Day", "2026-01-01", "-05:00"],
    ["Memorial Day", "2026-05-25", "-04:00"],
    ["Independence Day", "2026-07-04", "-04:00"],
    ["Labor Day", "2026-09-07", "-04:00"],
    ["Thanksgiving", "2026-11-26", "-05:00"],
    ["Christmas Day", "2026-12-25", "-05:00"],
    ["New Year's Day", "2027-01-01", "-05:00"],
    ["Memorial Day", "2027-05-31", "-04:00"],
    ["Independence Day", "2027-07-04", "-04:00"],
    ["Labor Day", "2027-09-06", "-04:00"],
    ["Thanksgiving", "2027-11-25", "-05:00"],
    ["Christmas Day", "2027-12-25", "-05:00"],
  ];

  it.each(holidays)("%s falls on %s", (name, date, offset) => {
    expect(holidayOn(cal, at(`${date}T12:00:00${offset}`))?.name).toBe(name);
  });

  it.each(holidays)("the days either side of %s (%s) are not holidays", (_name, date, offset) => {
    const noon = at(`${date}T12:00:00${offset}`).getTime();
    expect(holidayOn(cal, new Date(noon - 86_400_000))).toBeNull();
    expect(holidayOn(cal, new Date(noon + 86_400_000))).toBeNull();
  });

  // Only those on Monday to Friday: a holiday on a weekend is closed anyway.
  it.each(holidays.filter(([, date]) => ![0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay())))(
    "support is closed at 10:00 on %s (%s)",
    (_name, date, offset) => {
      expect(isOpen(cal, at(`${date}T10:00:00${offset}`))).toBe(false);
    },
  );

  it.each([
    ["2026-12-25T02:00:00Z", null], // still Dec 24, 21:00 in New York
    ["2026-12-26T03:00:00Z", "Christmas Day"], // Dec 25, 22:00 in New York, already Dec 26 in UTC
  ])("uses the local date, not the UTC date: %s → %s", (iso, name) => {
    expect(holidayOn(cal, at(iso))?.name ?? null).toBe(name);
  });

  it("applies a holiday on its actual date, with no observed weekday (July 4, 2026 is a Saturday)", () => {
    expect(holidayOn(cal, at("2026-07-03T12:00:00-04:00"))).toBeNull();
    expect(isOpen(cal, at("2026-07-03T10:00:00-04:00"))).toBe(true);
  });
});

describe("opening hours in New York", () => {
  it.each([
    ["winter, Tuesday 07:59 EST", "2026-01-13T12:59:00Z", false],
    ["winter, Tuesday 08:00 EST", "2026-01-13T13:00:00Z", true],
    ["winter, Tuesday 15:59 EST", "2026-01-13T20:59:00Z", true],
    ["winter, Tuesday 16:00 EST", "2026-01-13T21:00:00Z", false],
    ["summer, Tuesday 07:59 EDT", "2026-07-14T11:59:00Z", false],
    ["summer, Tuesday 08:00 EDT", "2026-07-14T12:00:00Z", true],
    ["summer, Tuesday 15:59 EDT", "2026-07-14T19:59:00Z", true],
    ["summer, Tuesday 16:00 EDT", "2026-07-14T20:00:00Z", false],
    ["Saturday 10:00 EST", "2026-01-17T15:00:00Z", false],
    ["Sunday 10:00 EDT", "2026-07-19T14:00:00Z", false],
    ["Friday before spring-forward, 07:59 EST", "2026-03-06T12:59:00Z", false],
    ["Friday before spring-forward, 08:00 EST", "2026-03-06T13:00:00Z", true],
    ["Friday before spring-forward, 15:59 EST", "2026-03-06T20:59:00Z", true],
    ["Friday before spring-forward, 16:00 EST", "2026-03-06T21:00:00Z", false],
    ["Monday after spring-forward, 07:59 EDT", "2026-03-09T11:59:00Z", false],
    ["Monday after spring-forward, 08:00 EDT", "2026-03-09T12:00:00Z", true],
    ["Monday after spring-forward, 15:59 EDT", "2026-03-09T19:59:00Z", true],
    ["Monday after spring-forward, 16:00 EDT", "2026-03-09T20:00:00Z", false],
    ["Friday before fall-back, 07:59 EDT", "2026-10-30T11:59:00Z", false],
    ["Friday before fall-back, 08:00 EDT", "2026-10-30T12:00:00Z", true],
    ["Friday before fall-back, 16:00 EDT", "2026-10-30T20:00:00Z", false],
    ["Monday after fall-back, 07:59 EST", "2026-11-02T12:59:00Z", false],
    ["Monday after fall-back, 08:00 EST", "2026-11-02T13:00:00Z", true],
    ["Monday after fall-back, 15:59 EST", "2026-11-02T20:59:00Z", true],
    ["Monday after fall-back, 16:00 EST", "2026-11-02T21:00:00Z", false],
  ])("%s (%s) open: %s", (_label, iso, open) => {
    expect(isOpen(cal, at(iso))).toBe(open);
  });

  it.each([
    ["2026-01-13T13:00:00Z", { year: 2026, month: 1, day: 13, weekday: "tue", hour: 8, minute: 0 }],
    ["2026-07-14T12:00:00Z", { year: 2026, month: 7, day: 14, weekday: "tue", hour: 8, minute: 0 }],
    // Midnight reads as hour 0 of the next day, never as hour 24.
    ["2026-01-14T05:00:00Z", { year: 2026, month: 1, day: 14, weekday: "wed", hour: 0, minute: 0 }],
  ])("localDateTime(%s) is the New York wall clock", (iso, local) => {
    expect(localDateTime("America/New_York", at(iso))).toEqual(local);
  });
});

describe("zonedInstant", () => {
  it.each([
    ["America/New_York", 2026, 1, 13, 8, 0, "2026-01-13T13:00:00.000Z"],
    ["America/New_York", 2026, 7, 14, 8, 0, "2026-07-14T12:00:00.000Z"],
    ["America/New_York", 2026, 1, 13, 24, 0, "2026-01-14T05:00:00.000Z"], // 24:00 is the next midnight
    ["America/New_York", 2026, 3, 8, 1, 30, "2026-03-08T06:30:00.000Z"], // before the gap, EST
    ["America/New_York", 2026, 3, 8, 2, 30, "2026-03-08T07:00:00.000Z"], // skipped: 03:00 EDT, just after the gap
    ["America/New_York", 2026, 3, 8, 3, 30, "2026-03-08T07:30:00.000Z"], // after the gap, EDT
    ["America/New_York", 2026, 11, 1, 0, 30, "2026-11-01T04:30:00.000Z"], // EDT
    ["America/New_York", 2026, 11, 1, 1, 30, "2026-11-01T05:30:00.000Z"], // happens twice: the first, EDT
    ["America/New_York", 2026, 11, 1, 2, 30, "2026-11-01T07:30:00.000Z"], // EST
    ["Europe/Berlin", 2026, 3, 29, 2, 30, "2026-03-29T01:00:00.000Z"], // skipped: 03:00 CEST
    ["Europe/Berlin", 2026, 10, 25, 2, 30, "2026-10-25T00:30:00.000Z"], // happens twice: the first, CEST
    ["Australia/Lord_Howe", 2026, 10, 4, 2, 15, "2026-10-03T15:30:00.000Z"], // a 30-minute gap: 02:30
    ["Europe/Moscow", 2026, 7, 1, 9, 0, "2026-07-01T06:00:00.000Z"], // no DST, UTC+3
    ["Europe/Moscow", 2026, 1, 1, 9, 0, "2026-01-01T06:00:00.000Z"],
  ])("%s %i-%i-%i %i:%i is %s", (timeZone, year, month, day, hour, minute, iso) => {
    expect(zonedInstant(timeZone, { year, month, day, hour, minute }).toISOString()).toBe(iso);
  });
});

describe("nextOpening", () => {
  it.each([
    ["open now: the same instant", "2026-01-13T15:00:00Z", "2026-01-13T15:00:00.000Z"],
    ["Tuesday 07:00 EST → 08:00 the same day", "2026-01-13T12:00:00Z", "2026-01-13T13:00:00.000Z"],
    ["Tuesday 23:00 EST (Wednesday in UTC) → Wednesday 08:00", "2026-01-14T04:00:00Z", "2026-01-14T13:00:00.000Z"],
    ["Friday 16:00 EST → Monday 08:00 EST", "2026-01-16T21:00:00Z", "2026-01-19T13:00:00.000Z"],
    ["Thanksgiving 10:00 → Friday 08:00 EST", "2026-11-26T15:00:00Z", "2026-11-27T13:00:00.000Z"],
    ["Christmas (Friday) 10:00 → Monday 08:00 EST", "2026-12-25T15:00:00Z", "2026-12-28T13:00:00.000Z"],
    ["New Year's Day 2027 (Friday) → Monday Jan 4 08:00 EST", "2027-01-01T15:00:00Z", "2027-01-04T13:00:00.000Z"],
    ["Friday before Labor Day, 16:00 EDT → Tuesday 08:00 EDT", "2026-09-04T20:00:00Z", "2026-09-08T12:00:00.000Z"],
    ["Friday 16:00 EST before spring-forward → Monday 08:00 EDT", "2026-03-06T21:00:00Z", "2026-03-09T12:00:00.000Z"],
    ["Friday 16:00 EDT before fall-back → Monday 08:00 EST", "2026-10-30T20:00:00Z", "2026-11-02T13:00:00.000Z"],
  ])("%s", (_label, from, opens) => {
    expect(nextOpening(cal, at(from))?.toISOString()).toBe(opens);
  });
});

describe("nextClosing", () => {
  it("is the end of today's span while open", () => {
    expect(nextClosing(cal, at("2026-01-13T15:00:00Z"))?.toISOString()).toBe("2026-01-13T21:00:00.000Z");
  });

  it("is null while closed", () => {
    expect(nextClosing(cal, at("2026-01-17T15:00:00Z"))).toBeNull();
  });

  it.each([
    ["01:10 EDT, the first time round", "2026-11-01T05:10:00Z", "2026-11-01T05:30:00.000Z"],
    ["01:10 EST, the second time round", "2026-11-01T06:10:00Z", "2026-11-01T06:30:00.000Z"],
  ])("closes at 01:30 in the hour repeated by fall-back: %s", (_label, from, closes) => {
    const night = { ...cal, hours: { sun: [{ open: "00:00", close: "01:30" }] } };
    expect(nextClosing(night, at(from))?.toISOString()).toBe(closes);
  });

  it.each<[string, BusinessCalendar["hours"], string, string]>([
    [
      "08:00–12:00 then 12:00–16:00",
      {
        mon: [
          { open: "08:00", close: "12:00" },
          { open: "12:00", close: "16:00" },
        ],
      },
      "2026-01-12T14:00:00Z",
      "2026-01-12T21:00:00.000Z",
    ],
    [
      "Friday until 24:00 then Saturday from 00:00",
      { fri: [{ open: "20:00", close: "24:00" }], sat: [{ open: "00:00", close: "02:00" }] },
      "2026-01-17T02:00:00Z", // Friday 21:00 EST
      "2026-01-17T07:00:00.000Z", // Saturday 02:00 EST
    ],
  ])("treats touching spans as one: %s", (_label, hours, from, closes) => {
    expect(nextClosing({ ...cal, hours }, at(from))?.toISOString()).toBe(closes);
  });
});

describe("expectedResponse", () => {
  it.each([
    ["Tuesday 10:00 EST, high", "high", "2026-01-13T15:00:00Z", { kind: "business_hours" }],
    ["Tuesday 10:00 EST, low", "low", "2026-01-13T15:00:00Z", { kind: "business_hours" }],
    ["Saturday 23:59 EST, high", "high", "2026-01-18T04:59:00Z", { kind: "on_call" }],
    ["Sunday 00:30 EST, urgent", "urgent", "2026-01-18T05:30:00Z", { kind: "next_morning" }],
    ["Tuesday 16:00 EST, urgent", "urgent", "2026-01-13T21:00:00Z", { kind: "on_call" }],
    ["Wednesday 05:59 EST, high", "high", "2026-01-14T10:59:00Z", { kind: "next_morning" }],
    ["Wednesday 06:00 EST, high", "high", "2026-01-14T11:00:00Z", { kind: "on_call" }],
    ["Christmas 10:00 EST, urgent", "urgent", "2026-12-25T15:00:00Z", { kind: "on_call" }],
    [
      "Saturday 10:00 EST, medium",
      "medium",
      "2026-01-17T15:00:00Z",
      { kind: "next_business_day", opensAt: "2026-01-19T13:00:00.000Z" },
    ],
    [
      "Tuesday 18:00 EST, low",
      "low",
      "2026-01-13T23:00:00Z",
      { kind: "next_business_day", opensAt: "2026-01-14T13:00:00.000Z" },
    ],
    [
      "Thanksgiving 10:00 EST, medium",
      "medium",
      "2026-11-26T15:00:00Z",
      { kind: "next_business_day", opensAt: "2026-11-27T13:00:00.000Z" },
    ],
  ])("%s → %o", (_label, priority, iso, expected) => {
    expect(expectedResponse(cal, priority, at(iso))).toEqual(expected);
  });

  it("honours the tenant's own emergency priorities", () => {
    expect(expectedResponse(cal, "high", at("2026-01-17T15:00:00Z"), ["urgent"])).toEqual({
      kind: "next_business_day",
      opensAt: "2026-01-19T13:00:00.000Z",
    });
  });
});

describe("a custom calendar: Moscow, split day, company holiday", () => {
  const split = [
    { open: "09:00", close: "12:00" },
    { open: "13:00", close: "18:00" },
  ];
  const moscow: BusinessCalendar = {
    timeZone: "Europe/Moscow",
    hours: { mon: split, tue: split, wed: split, thu: split, fri: split },
    holidays: [{ kind: "nth", name: "Company Day", month: 10, weekday: "mon", n: 2 }],
  };

  it.each([
    ["08:59", "2026-10-13T05:59:00Z", false],
    ["09:00", "2026-10-13T06:00:00Z", true],
    ["11:59", "2026-10-13T08:59:00Z", true],
    ["12:00 (lunch)", "2026-10-13T09:00:00Z", false],
    ["12:59 (lunch)", "2026-10-13T09:59:00Z", false],
    ["13:00", "2026-10-13T10:00:00Z", true],
    ["17:59", "2026-10-13T14:59:00Z", true],
    ["18:00", "2026-10-13T15:00:00Z", false],
  ])("Tuesday %s MSK (%s) open: %s", (_label, iso, open) => {
    expect(isOpen(moscow, at(iso))).toBe(open);
  });

  it.each([
    ["2026-10-05T09:00:00Z", null], // 1st Monday of October
    ["2026-10-12T09:00:00Z", "Company Day"], // 2nd Monday
    ["2026-10-19T09:00:00Z", null], // 3rd Monday
    ["2026-10-13T09:00:00Z", null], // the Tuesday after
  ])("2nd Monday of October rule at %s → %s", (iso, name) => {
    expect(holidayOn(moscow, at(iso))?.name ?? null).toBe(name);
  });

  it("is closed on its own holiday and open on the default ones it does not list", () => {
    expect(isOpen(moscow, at("2026-10-12T07:00:00Z"))).toBe(false); // Company Day, 10:00 MSK
    expect(isOpen(moscow, at("2026-12-25T07:00:00Z"))).toBe(true); // Christmas (Friday), 10:00 MSK
  });

  it.each([
    ["lunch 12:30 → 13:00 the same day", "2026-10-13T09:30:00Z", "2026-10-13T10:00:00.000Z"],
    ["Friday 18:00 → Tuesday 09:00, past Company Day", "2026-10-09T15:00:00Z", "2026-10-13T06:00:00.000Z"],
  ])("next opening: %s", (_label, from, opens) => {
    expect(nextOpening(moscow, at(from))?.toISOString()).toBe(opens);
  });

  it("closes for lunch at 12:00 MSK", () => {
    expect(nextClosing(moscow, at("2026-10-13T07:00:00Z"))?.toISOString()).toBe("2026-10-13T09:00:00.000Z");
  });

  it("never opens when the calendar has no hours", () => {
    const closed: BusinessCalendar = { ...moscow, hours: {} };
    expect(isOpen(closed, at("2026-10-13T07:00:00Z"))).toBe(false);
    expect(nextOpening(closed, at("2026-10-13T07:00:00Z"))).toBeNull();
    expect(expectedResponse(closed, "low", at("2026-10-13T07:00:00Z"))).toEqual({
      kind: "next_business_day",
      opensAt: null,
    });
  });
});
