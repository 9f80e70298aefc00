/**
 * Reading the audit log (admins' `GET /audit`) and the one audit row that is conditional: a
 * reveal is recorded only while the value it reveals is still on the ticket. Rows are written by
 * insertAudit (audit.ts) in the change of the action they record.
 */
import type { AuditAction, AuditEntry } from "./audit";

export interface AuditRecord {
  id: string;
  ticketId: string | null;
  actorId: string;
  actorName: string;
  action: AuditAction;
  detail: Record<string, string | number | boolean | null>;
  createdAt: number;
}

interface AuditRow {
  id: string;
  ticket_id: string | null;
  actor_id: string;
  actor_name: string;
  action: AuditAction;
  detail: string;
  created_at: number;
}

/** Position in `ORDER BY created_at DESC, id DESC`: the last entry of a page. */
export interface AuditCursor {
  createdAt: number;
  id: string;
}

export interface AuditFilter {
  tenantId: string;
  ticketId?: string;
  actorId?: string;
}

/** Newest first, keyset-paged on (created_at, id) along the tenant's, ticket's or actor's index; reads `limit + 1`. */
export async function listAudit(
  db: D1Database,
  filter: AuditFilter,
  after: AuditCursor | null,
  limit: number,
): Promise<{ entries: AuditRecord[]; next: AuditCursor | null }> {
  const where = ["tenant_id = ?1"];
  const params: (string | number)[] = [filter.tenantId];
  const bind = (value: string | number) => {
    params.push(value);
    return `?${params.length}`;
  };
  if (filter.ticketId !== undefined) where.push(`ticket_id = ${bind(filter.ticketId)}`);
  if (filter.actorId !== undefined) where.push(`actor_id = ${bind(filter.actorId)}`);
  if (after) {
    const t = bind(after.createdAt);
    where.push(`(created_at < ${t} OR (created_at = ${t} AND id < ${bind(after.id)}))`);
  }
  const { results } = await db
    .prepare(
      `SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ${bind(limit + 1)}`,
    )
    .bind(...params)
    .all<AuditRow>();
  const entries = results.slice(0, limit).map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    detail: JSON.parse(r.detail) as AuditRecord["detail"],
    createdAt: r.created_at,
  }));
  const last = entries.at(-1);
  return { entries, next: results.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/**
 * The `reveal` row, written only if the ticket still holds `sealed` (not erased by a close
 * meanwhile): one statement, whose `meta.changes` says whether the value may be shown.
 */
export function insertRevealAudit(
  db: D1Database,
  entry: Omit<AuditEntry, "action">,
  sealed: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, tenant_id, ticket_id, actor_id, actor_name, action, detail, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, 'reveal', ?6, ?7
       WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?3 AND tenant_id = ?2 AND sensitive = ?8)`,
    )
    .bind(
      crypto.randomUUID(),
      entry.tenantId,
      entry.ticketId,
      entry.actorId,
      entry.actorName,
      JSON.stringify(entry.detail),
      entry.createdAt,
      sealed,
    );
}
