/**
 * The events a tenant's webhook endpoints can ask for, and the steps that record them inside the
 * change they are about (docs/webhooks.md). A change adds these statements to its own batch: one
 * delivery row per endpoint that wants the event, or none, and no extra round trip to D1. The
 * body is `{type, timestamp, data}`; `data.ticket` (and `data.alert`) are read from the rows as
 * the change writes them (db/webhook-events.ts), and never carry the sensitive field.
 */
import type { HistoryEntry } from "../db/history";
import type { Message } from "../db/messages";
import type { Ticket } from "../db/tickets";
import {
  insertAlertAcknowledgedEvents,
  insertAlertRaisedEvent,
  insertRelayedAnswerEvents,
  insertStatusChangedEventFromHistory,
  insertTicketEvent,
  type TicketEvent,
} from "../db/webhook-events";
import type { EventType } from "../schemas/webhooks";

/** A new event's id (the `webhook-id` header): the same for all its endpoints and all its tries. */
export function newEventId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** The body before `data.ticket` is read in SQL: `ticket` is a placeholder that keeps its place first in `data`. */
function body(type: EventType | "webhook.test", now: number, tenantId: string, data: Record<string, unknown>): string {
  return JSON.stringify({
    type,
    timestamp: new Date(now).toISOString(),
    data: { tenant: { id: tenantId }, ticket: null, ...data },
  });
}

function ticketEvent(
  db: D1Database,
  ticket: Pick<Ticket, "tenantId" | "id">,
  type: EventType,
  data: Record<string, unknown>,
  now: number,
  internal = false,
): D1PreparedStatement {
  const event: TicketEvent = {
    eventId: newEventId(),
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    type,
    payload: body(type, now, ticket.tenantId, data),
    internal,
    createdAt: now,
  };
  return insertTicketEvent(db, event);
}

/** A message as events show it: never the mail original's key or a credential warning. */
export function messageData(m: Message) {
  return {
    id: m.id,
    body: m.body,
    internal: m.internal,
    source: m.source,
    author: { kind: m.authorKind, name: m.authorName },
    createdAt: new Date(m.createdAt).toISOString(),
  };
}

/** `ticket.created` with the first message, and `alert.raised` if filing it paged. After the ticket, its message and alert in the change. */
export function ticketCreatedEvents(
  db: D1Database,
  ticket: Ticket,
  message: Message,
  alertId: string | null,
  now: number,
): D1PreparedStatement[] {
  const created = ticketEvent(db, ticket, "ticket.created", { message: messageData(message) }, now);
  return alertId === null ? [created] : [created, alertRaisedEvent(db, ticket, alertId, now)];
}

/**
 * `ticket.replied` for a message (an internal note only to endpoints that ask for notes), and
 * `ticket.status_changed` when it moved the status: read from the history entry `statusEntryId`
 * the change wrote (if it did; a reply is planned without reading the ticket, so whether the
 * status moved is known only in SQL). After the ticket's update in the change.
 */
export function ticketRepliedEvents(
  db: D1Database,
  ticket: Pick<Ticket, "tenantId" | "id">,
  message: Message,
  statusEntryId: string | null,
  now: number,
): D1PreparedStatement[] {
  const steps = [ticketEvent(db, ticket, "ticket.replied", { message: messageData(message) }, now, message.internal)];
  if (statusEntryId !== null) {
    const event = {
      eventId: newEventId(),
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      payload: body("ticket.status_changed", now, ticket.tenantId, { change: null }),
      createdAt: now,
    };
    steps.push(insertStatusChangedEventFromHistory(db, event, statusEntryId, message.id));
  }
  return steps;
}

/**
 * A provider's answer relayed onto the reseller's ticket (tickets/relay.ts), for the reseller's
 * endpoints: `ticket.replied` for the relayed note (to endpoints that ask for notes) and
 * `ticket.status_changed` if the relay reopened the ticket. The reseller's tenant and ticket are
 * found in SQL, so the payloads leave `data.tenant.id` to it. After the relay's steps.
 */
export function relayedAnswerEvents(
  db: D1Database,
  on: Pick<Ticket, "tenantId" | "id">,
  written: { messageId: string; historyId: string },
  now: number,
): D1PreparedStatement[] {
  return insertRelayedAnswerEvents(db, {
    providerTenantId: on.tenantId,
    providerTicketId: on.id,
    ...written,
    repliedEventId: newEventId(),
    statusEventId: newEventId(),
    repliedPayload: body("ticket.replied", now, "", { message: null }),
    statusPayload: body("ticket.status_changed", now, "", { change: null }),
    createdAt: now,
  });
}

/** `ticket.status_changed` and `ticket.assigned` for the fields a change (a PATCH) moved, each with its reason. */
export function ticketChangedEvents(
  db: D1Database,
  entries: readonly HistoryEntry[],
  now: number,
): D1PreparedStatement[] {
  const types: Partial<Record<HistoryEntry["field"], EventType>> = {
    status: "ticket.status_changed",
    assignee: "ticket.assigned",
  };
  return entries.flatMap((e) => {
    const type = types[e.field];
    if (!type) return [];
    const change = { from: e.from, to: e.to, reason: e.reason, by: { kind: e.actorKind, name: e.actorName } };
    return [ticketEvent(db, { tenantId: e.tenantId, id: e.ticketId }, type, { change }, now)];
  });
}

/** `ticket.escalated`, for one side of an escalation: the reseller's ticket sent on, or the provider's ticket it became. */
export function ticketEscalatedEvent(
  db: D1Database,
  ticket: Pick<Ticket, "tenantId" | "id">,
  escalation:
    | { direction: "to_provider"; provider: { id: string; name: string }; providerTicketNumber: number }
    | { direction: "from_reseller"; reseller: { id: string; name: string }; resellerTicketNumber: number },
  now: number,
): D1PreparedStatement {
  return ticketEvent(db, ticket, "ticket.escalated", { escalation }, now);
}

/** `feedback.received`: a customer's vote on a staff reply. */
export function feedbackEvent(
  db: D1Database,
  ticket: Pick<Ticket, "tenantId" | "id">,
  message: Message,
  helpful: boolean,
  now: number,
): D1PreparedStatement {
  const feedback = { messageId: message.id, helpful, at: new Date(now).toISOString() };
  return ticketEvent(db, ticket, "feedback.received", { feedback, message: messageData(message) }, now);
}

/** `alert.raised` for an alert written earlier in the change, if it pages anyone (not suppressed). */
export function alertRaisedEvent(
  db: D1Database,
  ticket: Pick<Ticket, "tenantId" | "id">,
  alertId: string,
  now: number,
): D1PreparedStatement {
  const event = {
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    payload: body("alert.raised", now, ticket.tenantId, { alert: null }),
    createdAt: now,
  };
  return insertAlertRaisedEvent(db, event, alertId);
}

/**
 * `alert.acknowledged` for each alert a later step acknowledges: the ticket's open ones but
 * `exceptId` (an agent acting on the ticket), or the one alert `onlyId` (its link). Put it just
 * before that step: it reads which alerts are still open.
 */
export function alertsAcknowledgedEvents(
  db: D1Database,
  ticket: { tenantId: string; id: string | null },
  by: string,
  now: number,
  which: { exceptId: string } | { onlyId: string } = { exceptId: "" },
): D1PreparedStatement {
  const event = {
    tenantId: ticket.tenantId,
    ticketId: ticket.id ?? "",
    payload: body("alert.acknowledged", now, ticket.tenantId, { alert: null }),
    createdAt: now,
  };
  return insertAlertAcknowledgedEvents(db, event, by, which);
}

/** The body of a `webhook.test` event. */
export function testEventBody(tenantId: string, endpointId: string, now: number): string {
  return body("webhook.test", now, tenantId, { endpoint: { id: endpointId } });
}
