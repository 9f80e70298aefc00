import { insertInto } from "./sql";

export type NotificationKind = "ticket_received" | "agent_replied" | "closing_soon" | "auto_closed" | "alert";

export interface Notification {
  id: string;
  tenantId: string;
  ticketId: string | null;
  kind: NotificationKind;
  recipient: string;
  /** Unique per tenant: the same notice is never recorded twice (e.g. `closing_soon:<ticket>:<answeredAt>`). */
  dedupeKey: string;
  payload: Record<string, unknown>;
  createdAt: number;
}

/**
 * A notice to send, written in the same batch as the change that causes it. `OR IGNORE` on
 * the dedupe key makes re-running a sweep harmless; `afterChange` ties it to a conditional update.
 */
export function insertNotification(db: D1Database, n: Notification, options: { afterChange?: boolean } = {}): D1PreparedStatement {
  return insertInto(
    db,
    "notifications",
    {
      id: n.id,
      tenant_id: n.tenantId,
      ticket_id: n.ticketId,
      kind: n.kind,
      recipient: n.recipient,
      dedupe_key: n.dedupeKey,
      payload: JSON.stringify(n.payload),
      created_at: n.createdAt,
    },
    { ...options, orIgnore: true },
  );
}

export interface StoredNotification extends Notification {
  sentAt: number | null;
}

export async function listNotifications(db: D1Database, filter: { tenantId: string; ticketId?: string }): Promise<StoredNotification[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM notifications WHERE tenant_id = ?1 AND (?2 IS NULL OR ticket_id = ?2) ORDER BY created_at, id`,
    )
    .bind(filter.tenantId, filter.ticketId ?? null)
    .all<{ id: string; tenant_id: string; ticket_id: string | null; kind: NotificationKind; recipient: string; dedupe_key: string; payload: string; created_at: number; sent_at: number | null }>();
  return results.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    ticketId: r.ticket_id,
    kind: r.kind,
    recipient: r.recipient,
    dedupeKey: r.dedupe_key,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}
