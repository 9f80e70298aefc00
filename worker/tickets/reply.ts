/**
 * A message on an existing ticket: a customer's reply (through the widget or by mail), a staff
 * answer, or an internal note. It moves the status, pages after hours, tells the customer.
 */
import { needsAlert } from "../alerts/policy";
import { planAttachments } from "../attachments/service";
import { isStaff, type Principal } from "../auth/principal";
import { acknowledgeTicketAlerts, insertAlert } from "../db/alerts";
import { insertHistory } from "../db/history";
import { insertMessage, type Message } from "../db/messages";
import { insertNotification } from "../db/notifications";
import type { Ticket } from "../db/tickets";
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { Tenant } from "../schemas/tenant";
import type { ReplyBody, Status } from "../schemas/ticket";
import { type Actor, actorOf, statusAfterMessage, statusChangeReason, withStatus } from "./lifecycle";
import { arrivalRecords, historyEntry, messageOf, type Via, writeTicket } from "./write";

export interface AddedMessage {
  message: Message;
  ticketId: string;
  status: Status;
  alertIds: string[];
}

export async function addMessage(
  env: Env,
  tenant: Tenant,
  who: Principal,
  ticketId: string,
  body: ReplyBody,
  now: number,
  via: Via,
): Promise<AddedMessage> {
  if (body.internal && !isStaff(who))
    throw new ApiError("forbidden", "Only staff can write internal notes.", [
      { path: "internal", message: "is for staff only" },
    ]);
  const actor = actorOf(who);
  const attachmentIds = body.attachmentIds ?? [];
  const plan = () => planAttachments(env, tenant, via.uploader, attachmentIds, ticketId);
  let attach = await plan();
  return writeTicket(env.DB, who, ticketId, async (current, again) => {
    // A lost write may have been an upload taken or expired meanwhile: checked again, it is refused by name.
    if (again) attach = await plan();
    const message = messageOf(
      via,
      { tenantId: current.tenantId, ticketId: current.id, actor, body: body.body, internal: body.internal },
      now,
    );
    const status = statusAfterMessage(current.status, actor.kind, body.internal);
    const alertIds =
      actor.kind === "customer" && needsAlert(tenant, current.priority, now) ? [crypto.randomUUID()] : [];
    const steps = [
      insertMessage(env.DB, message),
      ...statusHistory(env.DB, current, status, actor, now),
      ...replyAlerts(env.DB, current, message, alertIds, now),
      ...staffFollowUp(env.DB, current, message, actor, now),
      // After the message, which they reference.
      ...attach(current.id, message.id, now),
      ...arrivalRecords(via),
    ];
    return {
      next: ticketAfter(current, status, body.internal, now),
      steps,
      result: { message, ticketId: current.id, status, alertIds },
    };
  });
}

/** The ticket once the message is on it. */
function ticketAfter(current: Ticket, status: Status, internal: boolean, now: number): Ticket {
  const next: Ticket = {
    ...withStatus(current, status, now),
    updatedAt: now,
    // Internal notes are invisible to the customer, so they don't reorder their history.
    lastActivityAt: internal ? current.lastActivityAt : now,
  };
  // Every staff answer restarts the auto-close clock, also a follow-up to an answered ticket.
  if (status === "answered") next.answeredAt = now;
  return next;
}

/** The history entry for a status the message changed, if it did. */
function statusHistory(
  db: D1Database,
  current: Ticket,
  status: Status,
  actor: Actor,
  now: number,
): D1PreparedStatement[] {
  if (status === current.status) return [];
  const reason = statusChangeReason(current.status, status, actor, "message");
  return [insertHistory(db, historyEntry(current, "status", current.status, status, actor, reason, now))];
}

/** A customer's reply after hours at an emergency priority pages the on-call team (alertIds holds its id). */
function replyAlerts(
  db: D1Database,
  current: Ticket,
  message: Message,
  alertIds: string[],
  now: number,
): D1PreparedStatement[] {
  return alertIds.map((id) =>
    insertAlert(db, {
      id,
      tenantId: current.tenantId,
      ticketId: current.id,
      trigger: "customer_reply",
      triggerKey: `reply:${message.id}`,
      priority: current.priority,
      createdAt: now,
    }),
  );
}

/** Staff on the ticket: no more paging about it, and a public answer goes to the customer by mail. */
function staffFollowUp(
  db: D1Database,
  current: Ticket,
  message: Message,
  actor: Actor,
  now: number,
): D1PreparedStatement[] {
  if (actor.kind !== "agent") return [];
  const statements = [acknowledgeTicketAlerts(db, current.id, actor.name, now)];
  if (!message.internal) {
    statements.push(
      insertNotification(db, {
        id: crypto.randomUUID(),
        tenantId: current.tenantId,
        ticketId: current.id,
        kind: "agent_replied",
        recipient: current.requesterEmail,
        dedupeKey: `agent_replied:${message.id}`,
        payload: { number: current.number, subject: current.subject, agentName: actor.name, body: message.body },
        createdAt: now,
      }),
    );
  }
  return statements;
}
