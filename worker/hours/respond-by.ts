// The expected-response deadline staff see in the queue (docs/console.md, "Queue"): the same
// calendar and paging rules as the customer's expectation (SPEC "Response expectation").
import type { PagingRequester } from "../alerts/policy";
import type { Tenant } from "../schemas/tenant";
import type { Priority } from "../schemas/ticket";
import { localDateTime, zonedInstant } from "./calendar";
import { calendarOf, type Expectations, expectationsAt } from "./expectations";

const HOUR = 3_600_000;
/** After hours, an emergency the on-call team is paged about: "usually within the hour". */
export const ON_CALL_RESPONSE_MS = HOUR;
/** Between local midnight and 06:00 the page may not be seen until the morning: the on-call team's hour starts at 06:00. */
const ON_CALL_MORNING_HOUR = 6;

/**
 * When a customer's wait that starts at `at` should be answered by, or null when the calendar
 * never opens:
 *  - during support hours: `at` + the tenant's response target for the priority;
 *  - after hours, an emergency priority whose requester can page: `at` + 1 h (on call); between
 *    local midnight and 06:00, 07:00 local;
 *  - after hours, anything else (or a requester who cannot page): the next opening + the target.
 */
export function respondByAt(
  tenant: Tenant,
  ticket: PagingRequester & { priority: Priority },
  at: number,
  /** expectationsAt(tenant, at), when the caller asks for many tickets at once (respondByTable). */
  expectations: Expectations = expectationsAt(tenant, at),
): number | null {
  const target = tenant.config.responseTargetHours[ticket.priority] * HOUR;
  // The customer's own expectation, from the tenant's shared calendar window (hours/expectations.ts).
  const expected = expectations(ticket.priority, ticket);
  switch (expected.kind) {
    case "business_hours":
      return at + target;
    case "on_call":
      return at + ON_CALL_RESPONSE_MS;
    case "next_morning": {
      const { timeZone } = calendarOf(tenant);
      const l = localDateTime(timeZone, new Date(at));
      return zonedInstant(timeZone, { ...l, hour: ON_CALL_MORNING_HOUR, minute: 0 }).getTime() + ON_CALL_RESPONSE_MS;
    }
    case "next_business_day":
      return expected.opensAt ? Date.parse(expected.opensAt) + target : null;
  }
}
