/**
 * Changing a ticket's status, priority, department or assignee: staff change any; a customer
 * may only close or re-open their own. Each change is a history entry with its reason and, for
 * staff, an audit row, in the same change. Closing erases the sensitive value in that change too.
 */
import { needsAlert } from "../alerts/policy";
import { isStaff, type Principal } from "../auth/principal";
import { readAgent } from "../db/agents";
import { acknowledgeTicketAlerts, closeTicketAlertsByCustomer, insertAlert, type NewAlert } from "../db/alerts";
import { insertAudit } from "../db/audit";
import { type HistoryEntry, type HistoryField, insertHistory } from "../db/history";
import { eraseSensitiveIfClosed, type Ticket } from "../db/tickets";
import type { Step } from "../db/write";
import type { Env } from "../env";
import { ApiError, type FieldError, fieldError } from "../errors";
import type { Tenant } from "../schemas/tenant";
import type { PatchTicketBody } from "../schemas/ticket";
import { alertRaisedEvent, alertsAcknowledgedEvents, ticketChangedEvents } from "../webhooks/events";
import { type Actor, actorOf, RESOLVED_BY_CUSTOMER, statusChangeReason, withStatus } from "./lifecycle";
import { historyEntry, writeTicket } from "./write";

export interface ChangedTicket {
  ticket: Ticket;
  alertIds: string[];
}

export async function patchTicket(
  env: Env,
  tenant: Tenant,
  who: Principal,
  ticketId: string,
  body: PatchTicketBody,
  now: number,
): Promise<ChangedTicket> {
  const staff = isStaff(who);
  if (!staff) refuseStaffChanges(body);
  else if (body.reasonCode !== undefined) throw fieldError("reasonCode", "is the customer's own answer: give `reason`");
  if (body.department !== undefined && !tenant.config.departments.some((d) => d.id === body.department))
    throw fieldError("department", `must be one of ${tenant.config.departments.map((d) => d.id).join(", ")}`);
  if (staff && typeof body.assignee === "string") await checkAssignee(env.DB, tenant.id, body.assignee);

  const actor = actorOf(who);
  return writeTicket<ChangedTicket>(env.DB, who, ticketId, (current) => {
    const { changed, entries } = applyChanges(current, body, staff, actor, now);
    if (entries.length === 0) return { unchanged: { ticket: current, alertIds: [] } };
    const closing = changed.status === "closed" && current.status !== "closed";
    const next = { ...changed, updatedAt: now, lastActivityAt: now, ...(closing && { sensitive: null }) };
    const steps: Step[] = entries.map((e) => insertHistory(env.DB, e));
    if (closing) steps.push(eraseSensitiveIfClosed(env.DB, current.tenantId, current.id));
    if (staff) steps.push(...entries.map((e) => auditOf(env.DB, e)));
    const raised = raisedAlert(tenant, current, next, entries, now);
    if (raised) steps.push(insertAlert(env.DB, raised), alertRaisedEvent(env.DB, current, raised.id, now));
    // Its webhook events (webhooks/events.ts), after the ticket's update; acknowledgements before the step that makes them.
    steps.push(...ticketChangedEvents(env.DB, entries, now));
    if (staff) steps.push(alertsAcknowledgedEvents(env.DB, current, actor.name, now, { exceptId: raised?.id ?? "" }));
    // Staff acting on the ticket acknowledges its alerts (but not the one just raised); the customer closing it only ends them.
    if (staff)
      steps.push(acknowledgeTicketAlerts(env.DB, current.id, actor.name, now, raised ? { exceptId: raised.id } : {}));
    else if (next.status === "closed") steps.push(closeTicketAlertsByCustomer(env.DB, current.id, now));
    return {
      next,
      steps,
      result: { ticket: { ...next, version: current.version + 1 }, alertIds: raised ? [raised.id] : [] },
    };
  });
}

/** A change's audit row: the field, from, to, and the reason. */
function auditOf(db: D1Database, e: HistoryEntry): D1PreparedStatement {
  return insertAudit(db, {
    tenantId: e.tenantId,
    ticketId: e.ticketId,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.field,
    detail: { from: e.from, to: e.to, reason: e.reason },
    createdAt: e.createdAt,
  });
}

/** An assignee is an agent of the desk's directory who is not deactivated; anyone else is refused by name. */
async function checkAssignee(db: D1Database, tenantId: string, id: string): Promise<void> {
  const agent = await readAgent(db, tenantId, id);
  if (!agent)
    throw fieldError("assignee", `"${id}" is not an agent of this desk (staff join the directory on first use)`);
  if (agent.deactivatedAt !== null) throw fieldError("assignee", `${agent.name} is deactivated and cannot be assigned`);
}

/** A customer may only close or re-open: anything else in the request is refused, field by field. */
function refuseStaffChanges(body: PatchTicketBody): void {
  const refused: FieldError[] = [];
  for (const field of ["priority", "department", "assignee"] as const) {
    if (body[field] !== undefined) refused.push({ path: field, message: "is changed by staff only" });
  }
  if (body.status !== undefined && body.status !== "closed" && body.status !== "open")
    refused.push({ path: "status", message: "you can close or re-open your ticket; other statuses are set by staff" });
  if (refused.length)
    throw new ApiError("forbidden", "Customers may only close or re-open their own tickets.", refused);
}

/** The ticket with the request's changes applied, and one history entry per field that changed. */
function applyChanges(
  current: Ticket,
  body: PatchTicketBody,
  staff: boolean,
  actor: Actor,
  now: number,
): { changed: Ticket; entries: HistoryEntry[] } {
  let changed: Ticket = { ...current };
  const entries: HistoryEntry[] = [];
  const note = (field: HistoryField, from: string | null, to: string | null, fallback: string) =>
    entries.push(historyEntry(current, field, from, to, actor, body.reason ?? fallback, now));
  const closeReason = body.reasonCode === "resolved_by_customer" ? RESOLVED_BY_CUSTOMER : undefined;

  if (body.status !== undefined && body.status !== current.status) {
    // A customer's "open" only re-opens a closed ticket; it never pulls one back from staff.
    if (staff || body.status === "closed" || current.status === "closed") {
      changed = withStatus(changed, body.status, now);
      note(
        "status",
        current.status,
        body.status,
        closeReason ?? statusChangeReason(current.status, body.status, actor, "patch"),
      );
    }
  }
  if (body.priority !== undefined && body.priority !== current.priority) {
    changed.priority = body.priority;
    note("priority", current.priority, body.priority, "Priority changed by staff");
  }
  if (body.department !== undefined && body.department !== current.department) {
    changed.department = body.department;
    note("department", current.department, body.department, "Moved by staff");
  }
  if (body.assignee !== undefined && body.assignee !== current.assignee) {
    changed.assignee = body.assignee;
    note("assignee", current.assignee, body.assignee, body.assignee ? "Assigned by staff" : "Unassigned by staff");
  }
  return { changed, entries };
}

/** Staff raising a ticket into an emergency priority after hours pages the on-call team, whoever filed it: staff judged it. */
function raisedAlert(
  tenant: Tenant,
  current: Ticket,
  next: Ticket,
  entries: HistoryEntry[],
  now: number,
): NewAlert | null {
  const emergency = tenant.config.emergency.priorities;
  const raised = entries.find(
    (e) => e.field === "priority" && !emergency.includes(current.priority) && emergency.includes(next.priority),
  );
  if (!raised || !needsAlert(tenant, next.priority, now)) return null;
  return {
    id: crypto.randomUUID(),
    tenantId: current.tenantId,
    ticketId: current.id,
    trigger: "raised",
    triggerKey: `raised:${raised.id}`,
    priority: next.priority,
    createdAt: now,
  };
}
