/**
 * A reseller's ticket escalated to its provider (tickets/escalation.ts): the link between the two
 * tickets (tickets.escalated_to on the reseller's, tickets.escalated_from on the provider's,
 * migration 0005) and the statements that keep them in step. Ticket ids are unique across
 * tenants, so each column names the other ticket outright.
 */
import type { Status } from "../schemas/ticket";
import { sightParams, TICKET_IN_SIGHT, type TicketSight } from "./sight";

/** The claim of an escalation: the reseller's ticket is not escalated yet and not closed. It goes on hold, linked. */
export function claimEscalation(
  db: D1Database,
  e: { tenantId: string; ticketId: string; providerTicketId: string; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE tickets SET status = 'on_hold', escalated_to = ?3, updated_at = max(updated_at, ?4),
         last_activity_at = max(last_activity_at, ?4), version = version + 1
       WHERE id = ?2 AND tenant_id = ?1 AND escalated_to IS NULL AND status != 'closed'`,
    )
    .bind(e.tenantId, e.ticketId, e.providerTicketId, e.now);
}

/**
 * The reseller's history entry "escalated", reading the status it leaves from the ticket: put it
 * before claimEscalation in the same change (the batch shows it the status just before).
 */
export function insertEscalatedHistory(
  db: D1Database,
  e: { id: string; tenantId: string; ticketId: string; actorId: string; actorName: string; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ticket_history (id, tenant_id, ticket_id, field, from_value, to_value, actor_kind, actor_id,
         actor_name, reason, created_at)
       SELECT ?1, tenant_id, id, 'status', status, 'on_hold', 'agent', ?4, ?5, 'escalated', ?6
       FROM tickets WHERE id = ?3 AND tenant_id = ?2`,
    )
    .bind(e.id, e.tenantId, e.ticketId, e.actorId, e.actorName, e.now);
}

/** Marks the provider's new ticket as coming from the reseller's (after the insert of both rows' first one). */
export function linkProviderTicket(
  db: D1Database,
  l: { providerTenantId: string; providerTicketId: string; resellerTicketId: string },
): D1PreparedStatement {
  return db
    .prepare("UPDATE tickets SET escalated_from = ?3 WHERE id = ?2 AND tenant_id = ?1")
    .bind(l.providerTenantId, l.providerTicketId, l.resellerTicketId);
}

/** The reseller's ticket's escalation as stored: its status, and the provider's ticket when escalated. */
export interface EscalationState {
  status: Status;
  link: EscalationLink | null;
}

/** What the reseller's ticket says of the link (after a lost claim, or for a retry): already escalated (to which ticket), or closed. */
export async function readEscalationState(
  db: D1Database,
  tenantId: string,
  ticketId: string,
): Promise<EscalationState | null> {
  const row = await db
    .prepare(
      `SELECT t.status, l.tenant_id, lt.name AS tenant_name, l.id AS ticket_id, l.number, l.status AS linked_status
       FROM tickets t LEFT JOIN tickets l ON l.id = t.escalated_to LEFT JOIN tenants lt ON lt.id = l.tenant_id
       WHERE t.id = ?2 AND t.tenant_id = ?1`,
    )
    .bind(tenantId, ticketId)
    .first<{
      status: Status;
      tenant_id: string | null;
      tenant_name: string | null;
      ticket_id: string | null;
      number: number | null;
      linked_status: Status | null;
    }>();
  if (!row) return null;
  const link =
    row.ticket_id !== null && row.tenant_id !== null && row.number !== null && row.linked_status !== null
      ? {
          direction: "to_provider" as const,
          tenantId: row.tenant_id,
          tenantName: row.tenant_name ?? row.tenant_id,
          ticketId: row.ticket_id,
          number: row.number,
          status: row.linked_status,
        }
      : null;
  return { status: row.status, link };
}

/**
 * A provider's staff public answer on a linked ticket, relayed into the reseller's ticket in the
 * answer's own change: an internal note "Answer from <provider>: …" (author kind system, never
 * shown to the end customer, no mail), and the reseller's ticket, when on hold, set open so that
 * its queue shows it needs attention (history reason "Escalation answered", by the system: the
 * customer sees the status, never the provider). Each statement finds the reseller's ticket
 * through the provider ticket's escalated_from and writes nothing for a ticket that has none.
 * The history entry reads the status before the update, so it comes first. The update, last,
 * returns the reseller's tenant id when the answer was relayed (its webhook events are queued for it).
 */
export function relayAnswer(
  db: D1Database,
  a: {
    providerTenantId: string;
    providerTicketId: string;
    body: string;
    now: number;
    messageId: string;
    historyId: string;
  },
): D1PreparedStatement[] {
  const linked = `FROM tickets p JOIN tickets r ON r.id = p.escalated_from WHERE p.id = ?2 AND p.tenant_id = ?1`;
  return [
    db
      .prepare(
        `INSERT INTO messages (id, tenant_id, ticket_id, author_kind, author_id, author_name, body, internal, source, created_at)
         SELECT ?3, r.tenant_id, r.id, 'system', 'tenant:' || p.tenant_id, pt.name,
           'Answer from ' || pt.name || ':' || char(10) || char(10) || ?4, 1, 'system', ?5
         FROM tickets p JOIN tickets r ON r.id = p.escalated_from JOIN tenants pt ON pt.id = p.tenant_id
         WHERE p.id = ?2 AND p.tenant_id = ?1`,
      )
      .bind(a.providerTenantId, a.providerTicketId, a.messageId, a.body, a.now),
    db
      .prepare(
        `INSERT INTO ticket_history (id, tenant_id, ticket_id, field, from_value, to_value, actor_kind, actor_id,
           actor_name, reason, created_at)
         SELECT ?3, r.tenant_id, r.id, 'status', r.status, 'open', 'system', 'system', 'Edgedesk', 'Escalation answered', ?4
         ${linked} AND r.status = 'on_hold'`,
      )
      .bind(a.providerTenantId, a.providerTicketId, a.historyId, a.now),
    db
      .prepare(
        `UPDATE tickets SET status = CASE WHEN status = 'on_hold' THEN 'open' ELSE status END,
           last_activity_at = CASE WHEN status = 'on_hold' THEN max(last_activity_at, ?3) ELSE last_activity_at END,
           updated_at = max(updated_at, ?3), version = version + 1
         WHERE id = (SELECT escalated_from FROM tickets WHERE id = ?2 AND tenant_id = ?1)
         RETURNING tenant_id`,
      )
      .bind(a.providerTenantId, a.providerTicketId, a.now),
  ];
}

/** The other end of a ticket's escalation, as staff see it on the ticket. */
export interface EscalationLink {
  direction: "to_provider" | "from_reseller";
  tenantId: string;
  tenantName: string;
  ticketId: string;
  number: number;
  status: Status;
}

/**
 * The other end of the ticket's escalation, for readTicketDetail's batch: only with the tenant's
 * sight (staff), so a customer's view learns nothing of the provider. Read it with `escalationLink`.
 */
export function selectEscalationLink(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT CASE WHEN t.escalated_to IS NOT NULL THEN 'to_provider' ELSE 'from_reseller' END AS direction,
         l.tenant_id, lt.name AS tenant_name, l.id AS ticket_id, l.number, l.status
       FROM tickets t JOIN tickets l ON l.id = coalesce(t.escalated_to, t.escalated_from)
         JOIN tenants lt ON lt.id = l.tenant_id
       WHERE ${TICKET_IN_SIGHT} AND ?3 = 'tenant'`,
    )
    .bind(...sightParams(tenantId, ticketId, sight));
}

export function escalationLink(result: D1Result | undefined): EscalationLink | null {
  const row = result?.results[0] as
    | {
        direction: EscalationLink["direction"];
        tenant_id: string;
        tenant_name: string;
        ticket_id: string;
        number: number;
        status: Status;
      }
    | undefined;
  return row
    ? {
        direction: row.direction,
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        ticketId: row.ticket_id,
        number: row.number,
        status: row.status,
      }
    : null;
}
