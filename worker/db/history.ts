import type { AuthorKind } from "./messages";
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

export async function listHistory(db: D1Database, ticketId: string): Promise<HistoryEntry[]> {
  const { results } = await db
    .prepare("SELECT * FROM ticket_history WHERE ticket_id = ?1 ORDER BY created_at, rowid")
    .bind(ticketId)
    .all<HistoryRow>();
  return results.map((r) => ({
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
