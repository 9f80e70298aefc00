// A tenant's business calendar, and what a ticket filed at a given moment can expect from it.
import type { BusinessCalendar } from "../schemas/calendar";
import type { Tenant } from "../schemas/tenant";
import type { Priority } from "../schemas/ticket";
import { type ExpectedResponse, expectedResponse } from "./calendar";

export function calendarOf(tenant: Tenant): BusinessCalendar {
  const { timeZone, hours, holidays } = tenant.config;
  return { timeZone, hours, holidays };
}

/** What a ticket filed at `now` can expect, per priority; computed once per priority per request. */
export type Expectations = (priority: Priority) => ExpectedResponse;

export function expectationsAt(tenant: Tenant, now: number): Expectations {
  const memo = new Map<Priority, ExpectedResponse>();
  return (priority) => {
    let expected = memo.get(priority);
    if (!expected) {
      expected = expectedResponse(calendarOf(tenant), priority, new Date(now), tenant.config.emergency.priorities);
      memo.set(priority, expected);
    }
    return expected;
  };
}
