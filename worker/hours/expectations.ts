// A tenant's business calendar, and what a ticket filed at a given moment can expect from it.
import { type PagingRequester, pagingPriorities } from "../alerts/policy";
import type { BusinessCalendar } from "../schemas/calendar";
import type { Tenant } from "../schemas/tenant";
import type { Priority } from "../schemas/ticket";
import { type ExpectedResponse, expectedResponse } from "./calendar";

export function calendarOf(tenant: Tenant): BusinessCalendar {
  const { timeZone, hours, holidays } = tenant.config;
  return { timeZone, hours, holidays };
}

/**
 * What a ticket filed at `now` can expect, per priority and requester (a signed-in customer when
 * not named): one who cannot page (alerts/policy.ts) waits for opening hours. Computed once per
 * priority and kind of requester per request.
 */
export type Expectations = (priority: Priority, requester?: PagingRequester) => ExpectedResponse;

/** Whom the response is for when the caller names nobody: a signed-in customer writing about one of their services. */
const CUSTOMER: PagingRequester = { requesterKind: "user", serviceId: "one of theirs" };

export function expectationsAt(tenant: Tenant, now: number): Expectations {
  const memo = new Map<string, ExpectedResponse>();
  return (priority, requester = CUSTOMER) => {
    const paging = pagingPriorities(tenant, requester);
    const key = `${priority}:${paging.length > 0}`;
    let expected = memo.get(key);
    if (!expected) {
      expected = expectedResponse(calendarOf(tenant), priority, new Date(now), paging);
      memo.set(key, expected);
    }
    return expected;
  };
}
