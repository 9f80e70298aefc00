/**
 * The status notice (settings/status-notice.ts): on the tenant's row, so the cached tenant read
 * brings it (db/tenants.ts parses it); its webhook's secret beside it; the webhook-ids received,
 * against replays. Statements only: each change is written with its audit row (db/write.ts).
 */
import { StoredStatusNotice } from "../schemas/status-notice";

/** The stored notice; one that no longer parses (a shape changed since) is treated as none, never as an error. */
export function parseNotice(json: string | null): StoredStatusNotice | null {
  if (json === null) return null;
  try {
    const parsed = StoredStatusNotice.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The notice as stored now (not the cached tenant's copy) and whether the webhook is on: the admin's view. */
export async function readStatusNotice(
  db: D1Database,
  tenantId: string,
): Promise<{ notice: StoredStatusNotice | null; webhookSecretSet: boolean }> {
  const row = await db
    .prepare("SELECT status_notice, status_webhook_secret IS NOT NULL AS secret_set FROM tenants WHERE id = ?1")
    .bind(tenantId)
    .first<{ status_notice: string | null; secret_set: number }>();
  return { notice: parseNotice(row?.status_notice ?? null), webhookSecretSet: row?.secret_set === 1 };
}

/** Sets (or with null clears) the notice. Does not touch `updated_at`: a settings form open meanwhile stays valid. */
export function updateStatusNotice(
  db: D1Database,
  tenantId: string,
  notice: StoredStatusNotice | null,
): D1PreparedStatement {
  return db
    .prepare("UPDATE tenants SET status_notice = ?2 WHERE id = ?1")
    .bind(tenantId, notice === null ? null : JSON.stringify(notice));
}

export function updateStatusWebhookSecret(
  db: D1Database,
  tenantId: string,
  secret: string | null,
): D1PreparedStatement {
  return db.prepare("UPDATE tenants SET status_webhook_secret = ?2 WHERE id = ?1").bind(tenantId, secret);
}

/** The webhook's secret, read afresh (a rotation counts at once, on every isolate); null: the webhook is off. */
export async function readStatusWebhookSecret(db: D1Database, tenantId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT status_webhook_secret AS secret FROM tenants WHERE id = ?1")
    .bind(tenantId)
    .first<{ secret: string | null }>();
  return row?.secret ?? null;
}

/**
 * The claim of a webhook delivery: its id was not received before (within the window it is kept).
 * A replay inserts nothing, so the change it would make is lost whole.
 */
export function rememberWebhookId(
  db: D1Database,
  tenantId: string,
  webhookId: string,
  expiresAt: number,
): D1PreparedStatement {
  return db
    .prepare("INSERT OR IGNORE INTO status_webhook_ids (tenant_id, webhook_id, expires_at) VALUES (?1, ?2, ?3)")
    .bind(tenantId, webhookId, expiresAt);
}

/** Forgets the ids whose timestamps are past the window: a replay of them is refused as stale anyway. */
export function forgetExpiredWebhookIds(db: D1Database, tenantId: string, now: number): D1PreparedStatement {
  return db.prepare("DELETE FROM status_webhook_ids WHERE tenant_id = ?1 AND expires_at < ?2").bind(tenantId, now);
}
