/**
 * What happened to a ticket lately, for telling an agent what changed since their view was read
 * (a 409 `changed_meanwhile`): the newest messages (notes too) and history entries, newest first.
 */
import type { HistoryField } from "./history";
import type { AuthorKind } from "./messages";

export interface RecentEvent {
  kind: "message" | "history";
  actorKind: AuthorKind;
  actorId: string;
  actorName: string;
  createdAt: number;
  /** For a message: whether it is an internal note. */
  internal: boolean;
  /** For a history entry: the field and its new value. */
  field: HistoryField | null;
  to: string | null;
}

interface EventRow {
  kind: "message" | "history";
  actor_kind: AuthorKind;
  actor_id: string;
  actor_name: string;
  created_at: number;
  internal: number;
  field: HistoryField | null;
  to_value: string | null;
}

/** The newest `limit` messages and `limit` history entries of a ticket, in one round trip, newest first. */
export async function readRecentEvents(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  limit: number,
): Promise<RecentEvent[]> {
  const [messages, history] = await db.batch<EventRow>([
    db
      .prepare(
        `SELECT 'message' AS kind, author_kind AS actor_kind, author_id AS actor_id, author_name AS actor_name,
           created_at, internal, NULL AS field, NULL AS to_value
         FROM messages WHERE tenant_id = ?1 AND ticket_id = ?2 ORDER BY rowid DESC LIMIT ?3`,
      )
      .bind(tenantId, ticketId, limit),
    db
      .prepare(
        `SELECT 'history' AS kind, actor_kind, actor_id, actor_name, created_at, 0 AS internal, field, to_value
         FROM ticket_history WHERE tenant_id = ?1 AND ticket_id = ?2 ORDER BY rowid DESC LIMIT ?3`,
      )
      .bind(tenantId, ticketId, limit),
  ]);
  const rows = [...(messages?.results ?? []), ...(history?.results ?? [])];
  return rows
    .map((r) => ({
      kind: r.kind,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.actor_name,
      createdAt: r.created_at,
      internal: r.internal === 1,
      field: r.field,
      to: r.to_value,
    }))
    .sort((a, b) => b.createdAt - a.createdAt);
}
