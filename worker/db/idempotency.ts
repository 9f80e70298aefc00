import { insertInto } from "./sql";

export interface IdempotencyRecord {
  tenantId: string;
  /** Whose key it is, and for a reply on which ticket: keys are scoped so that two callers can't collide. */
  principal: string;
  key: string;
  requestHash: string;
  ticketId: string;
  /** For a reply: the message it wrote (a filing's record is its ticket). */
  messageId: string | null;
  /** For a guest's ticket: the access key, sealed, so a replay can hand it back. */
  sealedAccessKey: string | null;
  createdAt: number;
}

export function insertIdempotencyKey(db: D1Database, r: IdempotencyRecord): D1PreparedStatement {
  return insertInto(db, "idempotency_keys", {
    tenant_id: r.tenantId,
    principal: r.principal,
    key: r.key,
    request_hash: r.requestHash,
    ticket_id: r.ticketId,
    message_id: r.messageId,
    sealed_access_key: r.sealedAccessKey,
    created_at: r.createdAt,
  });
}

export async function readIdempotencyKey(
  db: D1Database,
  tenantId: string,
  principal: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const row = await db
    .prepare("SELECT * FROM idempotency_keys WHERE tenant_id = ?1 AND principal = ?2 AND key = ?3")
    .bind(tenantId, principal, key)
    .first<{
      request_hash: string;
      ticket_id: string;
      message_id: string | null;
      sealed_access_key: string | null;
      created_at: number;
    }>();
  return row
    ? {
        tenantId,
        principal,
        key,
        requestHash: row.request_hash,
        ticketId: row.ticket_id,
        messageId: row.message_id,
        sealedAccessKey: row.sealed_access_key,
        createdAt: row.created_at,
      }
    : null;
}

/** Forgets up to `limit` keys recorded before `before` (retention). */
export function deleteIdempotencyKeysBefore(db: D1Database, before: number, limit: number): D1PreparedStatement {
  return db
    .prepare(
      "DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE created_at < ?1 LIMIT ?2)",
    )
    .bind(before, limit);
}
