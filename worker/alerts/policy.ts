import { isOpen } from "../hours/calendar";
import { calendarOf } from "../hours/expectations";
import type { Tenant } from "../schemas/tenant";
import type { Priority } from "../schemas/ticket";

/**
 * Whether a ticket at `priority` should page the on-call team at `at` (SPEC: outside support
 * hours — weekends and holidays included — for the tenant's emergency priorities).
 */
export function needsAlert(tenant: Tenant, priority: Priority, at: number): boolean {
  return tenant.config.emergency.priorities.includes(priority) && !isOpen(calendarOf(tenant), new Date(at));
}
