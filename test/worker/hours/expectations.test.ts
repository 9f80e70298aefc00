import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pagingPriorities } from "../../../worker/alerts/policy";
import { expectedResponse } from "../../../worker/hours/calendar";
import { calendarOf, expectationsAt } from "../../../worker/hours/expectations";
import type { HolidayRule, OpeningSpan } from "../../../worker/schemas/calendar";
import { type Tenant, TenantConfig } from "../../../worker/schemas/tenant";
import { PRIORITIES } from "../../../worker/schemas/ticket";

const GUEST = { requesterKind: "guest", serviceId: null } as const;
const CUSTOMER = { requesterKind: "user", serviceId: "svc-1" } as const;

function tenantWith(timeZone: string, spans: OpeningSpan[], holidays: HolidayRule[]): Tenant {
  const config = TenantConfig.parse({
    timeZone,
    hours: { mon: spans, tue: spans, wed: spans, thu: spans, fri: spans },
    holidays,
  });
  return { id: "t", parentId: null, name: "T", config, createdAt: 0, updatedAt: 0 };
}

const zones = fc.constantFrom("America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "UTC");
const clock = fc.integer({ min: 0, max: 23 }).map((h) => `${String(h).padStart(2, "0")}:00`);
const spans = fc.oneof(
  fc.constant([] as OpeningSpan[]),
  fc
    .tuple(clock, clock)
    .filter(([a, b]) => a < b)
    .map(([open, close]) => [{ open, close }]),
);
const holidays = fc.constantFrom<HolidayRule[]>(
  [],
  [{ kind: "fixed", name: "New Year's Day", month: 1, day: 1 }],
  [{ kind: "nth", name: "Thanksgiving", month: 11, weekday: "thu", n: 4 }],
);
// From a Sunday before Thanksgiving 2026 through a week, in steps of up to 3 hours.
const START = Date.parse("2026-11-22T00:00:00Z");
const steps = fc.array(fc.integer({ min: 1, max: 3 * 3600_000 }), { minLength: 5, maxLength: 60 });

describe("expectationsAt (one calendar window shared by a warm tenant's requests)", () => {
  it("answers exactly what expectedResponse works out afresh, at every instant of a walk through the week", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(zones, spans, holidays, steps, (zone, weekday, rules, walk) => {
        // One tenant object for the whole walk: the cache is keyed by it, as warm requests share it.
        const tenant = tenantWith(zone, weekday, rules);
        let now = START;
        for (const step of walk) {
          now += step;
          const expect_ = expectationsAt(tenant, now);
          for (const priority of PRIORITIES) {
            for (const requester of [CUSTOMER, GUEST]) {
              const fresh = expectedResponse(
                calendarOf(tenant),
                priority,
                new Date(now),
                pagingPriorities(tenant, requester),
              );
              expect(expect_(priority, requester)).toEqual(fresh);
              seen.add(fresh.kind);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
    // Every answer the calendar gives was reached by the walk.
    expect([...seen].sort()).toEqual(["business_hours", "next_business_day", "next_morning", "on_call"]);
  });

  it("a new tenant object (a config change) is worked out afresh, never read from the old one's window", () => {
    const now = Date.parse("2026-11-25T15:00:00Z"); // Wednesday 10:00 in New York
    const open = tenantWith("America/New_York", [{ open: "08:00", close: "16:00" }], []);
    expect(expectationsAt(open, now)("low")).toEqual({ kind: "business_hours" });
    const closedNow = tenantWith("America/New_York", [{ open: "12:00", close: "16:00" }], []);
    expect(expectationsAt(closedNow, now)("low")).toEqual({
      kind: "next_business_day",
      opensAt: "2026-11-25T17:00:00.000Z",
    });
  });
});
