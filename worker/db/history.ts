import type { AuthorKind } from "./messages";
import { sightParams, TICKET_IN_SIGHT, type TicketSight } from "./sight";
import { insertInto } from "./sql";

export type HistoryField = "status" | "priority" | "department" | "assignee";

export interface HistoryEntry {
  id: string;
  tenantId: string;
  ticketId: string;
  field: HistoryField;
  from: string | null;
  to: string | null;
  actorKind: AuthorKind;
  actorId: string;
  actorName: string;
  reason: string;
  createdAt: number;
}

interface HistoryRow {
  id: string;
  tenant_id: string;
  ticket_id: string;
  field: HistoryField;
  from_value: string | null;
  to_value: string | null;
  actor_kind: AuthorKind;
  actor_id: string;
  actor_name: string;
  reason: string;
  created_at: number;
}

export function insertHistory(db: D1Database, h: HistoryEntry): D1PreparedStatement {
  return insertInto(db, "ticket_history", {
    id: h.id,
    tenant_id: h.tenantId,
    ticket_id: h.ticketId,
    field: h.field,
    from_value: h.from,
    to_value: h.to,
    actor_kind: h.actorKind,
    actor_id: h.actorId,
    actor_name: h.actorName,
    reason: h.reason,
    created_at: h.createdAt,
  });
}

/**
 * The history entry of a message's status effect, reading the status it replaces from the
 * ticket: put it before the ticket's update (appendToTicket) in the same change, where the
 * batch's transaction shows it the status as it is just before that update, which no other
 * writer can move in between. Writes nothing when the status stays (`entry.to` is the status
 * already). The reason is `reopened` when the ticket was closed, `reason` otherwise.
 */
export function insertStatusChangeFromTicket(
  db: D1Database,
  entry: Omit<HistoryEntry, "field" | "from">,
  reopened: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ticket_history (id, tenant_id, ticket_id, field, from_value, to_value, actor_kind, actor_id,
         actor_name, reason, created_at)
       SELECT ?1, tenant_id, id, 'status', status, ?4, ?5, ?6, ?7,
         CASE WHEN status = 'closed' THEN ?8 ELSE ?9 END, ?10
       FROM tickets WHERE id = ?3 AND tenant_id = ?2 AND status != ?4`,
    )
    .bind(
      entry.id,
      entry.tenantId,
      entry.ticketId,
      entry.to,
      entry.actorKind,
      entry.actorId,
      entry.actorName,
      reopened,
      entry.reason,
      entry.createdAt,
    );
}

/** A ticket's history, only when the ticket is in `sight`. Read the result with `historyEntries`. */
export function selectVisibleHistory(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
): D1PreparedStatement {
  return (
    db
      // In the order written (rowid), which is the order of the changes: concurrent writers' clocks may disagree by a little.
      .prepare(
        `SELECT h.* FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id AND t.tenant_id = h.tenant_id
         WHERE ${TICKET_IN_SIGHT} ORDER BY h.rowid`,
      )
      .bind(...sightParams(tenantId, ticketId, sight))
  );
}

export function historyEntries(result: D1Result): HistoryEntry[] {
  return (result.results as HistoryRow[]).map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    ticketId: r.ticket_id,
    field: r.field,
    from: r.from_value,
    to: r.to_value,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorName: r.actor_name,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}
