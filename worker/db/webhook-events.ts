/**
 * Event webhooks in D1 (migrations/0006_webhooks.sql): the delivery rows a change writes in its
 * own batch, one per endpoint of the tenant that wants the event (webhooks/events.ts composes
 * them; db/webhooks.ts delivers them).
 *
 * An event's ticket (and alert) are read in SQL by the statement that writes its rows, from the
 * rows as the change leaves them: the statement goes after the ticket's write in the batch (a row
 * after the row it reads, as a foreign key would have it), so `data.ticket` is what was written.
 * Only acknowledgements read the alerts before the step that acknowledges them (db/write.ts's
 * exception: a statement may read a row's state before a later step changes it).
 */
import { insertInto } from "./sql";

/** ISO 8601 of a millisecond column, as JavaScript's toISOString writes it. */
const iso = (column: string) =>
  `(strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || '.' || printf('%03d', ${column} % 1000) || 'Z')`;

/** A ticket as every event shows it (docs/webhooks.md, "The ticket"); never its sensitive field or guest key. */
const TICKET_JSON = `json_object(
  'id', t.id, 'number', t.number, 'subject', t.subject, 'status', t.status, 'priority', t.priority,
  'department', t.department, 'assignee', t.assignee,
  'requester', json_object('kind', t.requester_kind, 'name', t.requester_name, 'email', t.requester_email),
  'service', CASE WHEN t.service_id IS NULL THEN NULL ELSE json_object('id', t.service_id, 'label', t.service_label) END,
  'createdAt', ${iso("t.created_at")}, 'updatedAt', ${iso("t.updated_at")})`;

/** An alert as its events show it. */
const ALERT_JSON = `json_object('id', a.id, 'trigger', a.trigger, 'priority', a.priority, 'raisedAt', ${iso("a.created_at")})`;

const INSERT = `INSERT OR IGNORE INTO webhook_deliveries (event_id, endpoint_id, tenant_id, type, payload, next_attempt_at, created_at)`;
/**
 * The tenant's endpoints that want event ?3 (and, for an internal note, ask for notes). Every
 * event statement reads the endpoints first (CROSS JOIN keeps that order), so for a tenant with
 * none it reads no row at all: the change costs what it cost before webhooks.
 */
const WANTED = `e.tenant_id = ?2 AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = ?3)
  AND (?7 = 0 OR e.include_internal_notes = 1)`;

/** One event about a ticket: what the change knows goes in `payload`; `data.ticket` is read from the row. */
export interface TicketEvent {
  eventId: string;
  tenantId: string;
  ticketId: string;
  type: string;
  /** The body, `data.ticket` left null: filled in here. */
  payload: string;
  /** About an internal note: only endpoints that ask for notes get it. */
  internal: boolean;
  createdAt: number;
}

/** The rows of an event about a ticket, one per endpoint of the tenant that wants it; none when none does. */
export function insertTicketEvent(db: D1Database, e: TicketEvent): D1PreparedStatement {
  return db
    .prepare(
      `${INSERT}
       SELECT ?1, e.id, e.tenant_id, ?3, json_set(?4, '$.data.ticket', ${TICKET_JSON}), ?5, ?5
       FROM webhook_endpoints e CROSS JOIN tickets t
       WHERE t.tenant_id = e.tenant_id AND t.id = ?6 AND ${WANTED}`,
    )
    .bind(e.eventId, e.tenantId, e.type, e.payload, e.createdAt, e.ticketId, e.internal ? 1 : 0);
}

/**
 * `ticket.status_changed` for the status change history entry `historyId` written earlier in the
 * change, if it was written (a reply's entry is written only when the status really moves): its
 * `data.change` (from, to, reason, by) is read from that entry, `messageId` added. For changes
 * planned without reading the ticket first (a reply: tickets/reply.ts).
 */
export function insertStatusChangedEventFromHistory(
  db: D1Database,
  e: Omit<TicketEvent, "type" | "internal">,
  historyId: string,
  messageId: string,
): D1PreparedStatement {
  return db
    .prepare(
      `${INSERT}
       SELECT ?1, e.id, e.tenant_id, ?3, json_set(?4, '$.data.ticket', ${TICKET_JSON}, '$.data.change',
         json_object('from', h.from_value, 'to', h.to_value, 'reason', h.reason,
           'by', json_object('kind', h.actor_kind, 'name', h.actor_name), 'messageId', ?9)), ?5, ?5
       FROM webhook_endpoints e CROSS JOIN ticket_history h CROSS JOIN tickets t
       WHERE h.id = ?8 AND h.tenant_id = ?2 AND h.ticket_id = ?6 AND t.tenant_id = e.tenant_id AND t.id = ?6 AND ${WANTED}`,
    )
    .bind(e.eventId, e.tenantId, "ticket.status_changed", e.payload, e.createdAt, e.ticketId, 0, historyId, messageId);
}

/** A message as events show it (webhooks/events.ts messageData, in SQL), from the row `m`. */
const MESSAGE_JSON = `json_object('id', m.id, 'body', m.body, 'internal', json(CASE WHEN m.internal THEN 'true' ELSE 'false' END),
  'source', m.source, 'author', json_object('kind', m.author_kind, 'name', m.author_name), 'createdAt', ${iso("m.created_at")})`;

/** A provider's answer relayed onto the reseller's ticket (db/escalations.ts relayAnswer): the ids it wrote and its events'. */
export interface RelayedAnswerEvents {
  providerTenantId: string;
  providerTicketId: string;
  /** The relayed note and the status entry relayAnswer wrote on the reseller's ticket (the entry only if it reopened it). */
  messageId: string;
  historyId: string;
  repliedEventId: string;
  statusEventId: string;
  /** The bodies, `data.tenant.id`, `data.ticket` and the rest left to fill here. */
  repliedPayload: string;
  statusPayload: string;
  createdAt: number;
}

/**
 * For the reseller's endpoints: `ticket.replied` for the relayed note (an internal note: only
 * endpoints that ask for notes) and `ticket.status_changed` when the relay reopened the ticket.
 * The reseller's ticket, and so its tenant, is the provider ticket's escalated_from, read in SQL
 * (a reply is planned without reading its ticket): for a ticket that came from no reseller they
 * read the provider's row and write nothing. After relayAnswer's steps in the change.
 */
export function insertRelayedAnswerEvents(db: D1Database, r: RelayedAnswerEvents): D1PreparedStatement[] {
  const reseller = `FROM tickets p CROSS JOIN tickets t`;
  const linked = `p.id = ?4 AND p.tenant_id = ?5 AND t.id = p.escalated_from`;
  const wanted = (type: string) =>
    `e.tenant_id = t.tenant_id AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = '${type}')`;
  return [
    db
      .prepare(
        `${INSERT}
         SELECT ?1, e.id, e.tenant_id, 'ticket.replied',
           json_set(?2, '$.data.tenant.id', t.tenant_id, '$.data.ticket', ${TICKET_JSON}, '$.data.message', ${MESSAGE_JSON}), ?3, ?3
         ${reseller} CROSS JOIN messages m CROSS JOIN webhook_endpoints e
         WHERE ${linked} AND m.id = ?6 AND m.ticket_id = t.id AND ${wanted("ticket.replied")} AND e.include_internal_notes = 1`,
      )
      .bind(r.repliedEventId, r.repliedPayload, r.createdAt, r.providerTicketId, r.providerTenantId, r.messageId),
    db
      .prepare(
        `${INSERT}
         SELECT ?1, e.id, e.tenant_id, 'ticket.status_changed',
           json_set(?2, '$.data.tenant.id', t.tenant_id, '$.data.ticket', ${TICKET_JSON}, '$.data.change',
             json_object('from', h.from_value, 'to', h.to_value, 'reason', h.reason,
               'by', json_object('kind', h.actor_kind, 'name', h.actor_name), 'messageId', ?6)), ?3, ?3
         ${reseller} CROSS JOIN ticket_history h CROSS JOIN webhook_endpoints e
         WHERE ${linked} AND h.id = ?7 AND h.ticket_id = t.id AND ${wanted("ticket.status_changed")}`,
      )
      .bind(
        r.statusEventId,
        r.statusPayload,
        r.createdAt,
        r.providerTicketId,
        r.providerTenantId,
        r.messageId,
        r.historyId,
      ),
  ];
}

/**
 * `alert.raised` for alert `alertId`, written after it in the change: only if it pages (state
 * `pending`; an alert the policy suppressed raises no event). Its event id is the alert's, so it is written once.
 */
export function insertAlertRaisedEvent(
  db: D1Database,
  e: Omit<TicketEvent, "eventId" | "type" | "internal">,
  alertId: string,
): D1PreparedStatement {
  return db
    .prepare(
      `${INSERT}
       SELECT 'msg_raised_' || a.id, e.id, e.tenant_id, ?3, json_set(?4, '$.data.ticket', ${TICKET_JSON}, '$.data.alert', ${ALERT_JSON}), ?5, ?5
       FROM webhook_endpoints e CROSS JOIN tickets t CROSS JOIN alerts a
       WHERE t.tenant_id = e.tenant_id AND t.id = ?6 AND a.ticket_id = t.id AND a.id = ?1 AND a.state = 'pending' AND ${WANTED}`,
    )
    .bind(alertId, e.tenantId, "alert.raised", e.payload, e.createdAt, e.ticketId, 0);
}

/**
 * `alert.acknowledged` for each alert that a later step of the change acknowledges: the ticket's
 * open ones (pending or delivered) but `exceptId`, or the one alert `onlyId` (its ticket read
 * from it). Placed before that step, it reads them while they are still open. The event id is
 * the alert's: an alert is acknowledged once.
 */
export function insertAlertAcknowledgedEvents(
  db: D1Database,
  e: Omit<TicketEvent, "eventId" | "type" | "internal">,
  by: string,
  which: { exceptId: string } | { onlyId: string },
): D1PreparedStatement {
  const alerts = "onlyId" in which ? "a.id = ?9 AND a.tenant_id = ?2" : "a.ticket_id = ?6 AND a.id != ?9";
  return db
    .prepare(
      `${INSERT}
       SELECT 'msg_ack_' || a.id, e.id, e.tenant_id, ?3,
         json_set(?4, '$.data.ticket', ${TICKET_JSON}, '$.data.alert', json_insert(${ALERT_JSON}, '$.acknowledgedBy', ?8, '$.acknowledgedAt', ${iso("?5")})), ?5, ?5
       FROM webhook_endpoints e CROSS JOIN alerts a CROSS JOIN tickets t
       WHERE a.tenant_id = e.tenant_id AND t.id = a.ticket_id AND ${alerts} AND a.state IN ('pending', 'delivered') AND ${WANTED}`,
    )
    .bind(
      "",
      e.tenantId,
      "alert.acknowledged",
      e.payload,
      e.createdAt,
      e.ticketId,
      0,
      by,
      "onlyId" in which ? which.onlyId : which.exceptId,
    );
}

/** A `webhook.test` event for one endpoint, whatever events it wants. */
export function insertTestEvent(
  db: D1Database,
  e: { eventId: string; tenantId: string; endpointId: string; payload: string; createdAt: number },
): D1PreparedStatement {
  return insertInto(db, "webhook_deliveries", {
    event_id: e.eventId,
    endpoint_id: e.endpointId,
    tenant_id: e.tenantId,
    type: "webhook.test",
    payload: e.payload,
    next_attempt_at: e.createdAt,
    created_at: e.createdAt,
  });
}
