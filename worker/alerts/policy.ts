import { isOpen } from "../hours/calendar";
import type { Tenant } from "../schemas/tenant";
import type { Priority } from "../schemas/ticket";

/**
 * Why an alert paged nobody (docs/alerts.md): the ticket is a guest's, or not about one of the
 * customer's services (when the tenant asks for that); or, for a reply, an alert for the ticket is
 * still open, or the last page is more recent than the cooldown (decided in SQL: db/alerts.ts).
 */
export type Suppression = "guest" | "no_service" | "cooldown" | "open_alert";

/**
 * Whether a ticket at `priority` should page the on-call team at `at` (SPEC: outside support
 * hours — weekends and holidays included — for the tenant's emergency priorities).
 */
export function needsAlert(tenant: Tenant, priority: Priority, at: number): boolean {
  // The config carries the business calendar (time zone, hours, holidays); hours/expectations.ts reads this module.
  return tenant.config.emergency.priorities.includes(priority) && !isOpen(tenant.config, new Date(at));
}

/** What of a ticket decides whether its requester can page. */
export type PagingRequester = { requesterKind: "user" | "guest"; serviceId: string | null };

/** Whose tickets may page: signed-in customers (and guests only when the tenant allows it); null when this one may. */
export function requesterSuppression(tenant: Tenant, ticket: PagingRequester): Suppression | null {
  const { guestsCanPage, pagingRequiresService } = tenant.config.emergency;
  if (ticket.requesterKind === "guest" && !guestsCanPage) return "guest";
  if (pagingRequiresService && ticket.serviceId === null) return "no_service";
  return null;
}

/** The priorities that page for this ticket: none when its requester cannot page (it waits for opening hours). */
export function pagingPriorities(tenant: Tenant, ticket: PagingRequester): readonly Priority[] {
  return requesterSuppression(tenant, ticket) ? [] : tenant.config.emergency.priorities;
}
