/** Canned replies: per tenant, managed by its admins (migration 0005). */
import { insertInto } from "./sql";

export interface CannedReply {
  id: string;
  tenantId: string;
  title: string;
  body: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

interface CannedReplyRow {
  id: string;
  tenant_id: string;
  title: string;
  body: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

function toCannedReply(r: CannedReplyRow): CannedReply {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    title: r.title,
    body: r.body,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A tenant's canned replies by title. */
export async function listCannedReplies(db: D1Database, tenantId: string): Promise<CannedReply[]> {
  const { results } = await db
    .prepare("SELECT * FROM canned_replies WHERE tenant_id = ?1 ORDER BY title, id")
    .bind(tenantId)
    .all<CannedReplyRow>();
  return results.map(toCannedReply);
}

export async function readCannedReply(db: D1Database, tenantId: string, id: string): Promise<CannedReply | null> {
  const row = await db
    .prepare("SELECT * FROM canned_replies WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<CannedReplyRow>();
  return row ? toCannedReply(row) : null;
}

export function insertCannedReply(db: D1Database, c: CannedReply): D1PreparedStatement {
  return insertInto(db, "canned_replies", {
    id: c.id,
    tenant_id: c.tenantId,
    title: c.title,
    body: c.body,
    created_by: c.createdBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  });
}

/** The claim of an edit: the canned reply still exists. */
export function updateCannedReply(
  db: D1Database,
  c: { tenantId: string; id: string; title: string; body: string; updatedAt: number },
): D1PreparedStatement {
  return db
    .prepare("UPDATE canned_replies SET title = ?3, body = ?4, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2")
    .bind(c.tenantId, c.id, c.title, c.body, c.updatedAt);
}

/** The claim of a delete: the canned reply still exists. */
export function deleteCannedReply(db: D1Database, tenantId: string, id: string): D1PreparedStatement {
  return db.prepare("DELETE FROM canned_replies WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, id);
}
