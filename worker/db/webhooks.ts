/**
 * Event webhooks in D1 (migrations/0006_webhooks.sql): the delivery rows changes wrote
 * (db/webhook-events.ts), as the consumer takes them for a try (a lease), records each try, and
 * finds what is due next or stuck; and as the admin lists them.
 */
import { LEASE_MS } from "../retry";

export type DeliveryStatus = "pending" | "delivered" | "failed";

/** A delivery row as the admin sees it. */
export interface WebhookDelivery {
  eventId: string;
  endpointId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  nextAttemptAt: number;
  createdAt: number;
  finishedAt: number | null;
}

interface DeliveryRow {
  event_id: string;
  endpoint_id: string;
  tenant_id: string;
  type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  response_code: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return {
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    type: r.type,
    status: r.status,
    attempts: r.attempts,
    responseCode: r.response_code,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** The tenant's latest deliveries, newest first; of one endpoint and/or one status when given. */
export async function recentDeliveries(
  db: D1Database,
  tenantId: string,
  filter: { endpointId?: string | undefined; status?: DeliveryStatus | undefined },
  limit: number,
): Promise<WebhookDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM webhook_deliveries WHERE tenant_id = ?1 AND (?2 = '' OR endpoint_id = ?2) AND (?3 = '' OR status = ?3)
       ORDER BY created_at DESC, event_id LIMIT ?4`,
    )
    .bind(tenantId, filter.endpointId ?? "", filter.status ?? "", limit)
    .all<DeliveryRow>();
  return results.map(toDelivery);
}

/** A delivery claimed for one try: what to send, where, and the secrets that sign it. */
export interface ClaimedDelivery {
  eventId: string;
  endpointId: string;
  url: string;
  payload: string;
  /** The current secret first, then the one before the last rotation while it is still in its grace period. */
  secrets: string[];
  attempts: number;
  leaseUntil: number;
}

/** The tenant's deliveries due now and not leased, oldest first (`eventId` alone when given). */
export async function dueDeliveries(
  db: D1Database,
  tenantId: string,
  now: number,
  limit: number,
  eventId = "",
): Promise<{ eventId: string; endpointId: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT event_id, endpoint_id FROM webhook_deliveries
       WHERE tenant_id = ?1 AND status = 'pending' AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2)
         AND (?4 = '' OR event_id = ?4)
       ORDER BY next_attempt_at LIMIT ?3`,
    )
    .bind(tenantId, now, limit, eventId)
    .all<{ event_id: string; endpoint_id: string }>();
  return results.map((r) => ({ eventId: r.event_id, endpointId: r.endpoint_id }));
}

/** Takes a due delivery for one try (a lease of LEASE_MS): null when another run holds it or it is done. */
export async function claimDelivery(
  db: D1Database,
  key: { eventId: string; endpointId: string },
  now: number,
): Promise<ClaimedDelivery | null> {
  const row = await db
    .prepare(
      `UPDATE webhook_deliveries SET lease_until = ?3 + ?4, attempts = attempts + 1
       WHERE event_id = ?1 AND endpoint_id = ?2 AND status = 'pending' AND next_attempt_at <= ?3
         AND (lease_until IS NULL OR lease_until <= ?3)
       RETURNING payload, attempts, lease_until,
         (SELECT url FROM webhook_endpoints WHERE id = ?2) AS url,
         (SELECT secret FROM webhook_endpoints WHERE id = ?2) AS secret,
         (SELECT previous_secret FROM webhook_endpoints WHERE id = ?2 AND previous_secret_until > ?3) AS previous_secret`,
    )
    .bind(key.eventId, key.endpointId, now, LEASE_MS)
    .first<{
      payload: string;
      attempts: number;
      lease_until: number;
      url: string;
      secret: string;
      previous_secret: string | null;
    }>();
  if (!row) return null;
  return {
    ...key,
    url: row.url,
    payload: row.payload,
    secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
    attempts: row.attempts,
    leaseUntil: row.lease_until,
  };
}

/**
 * Records a try while its lease holds: delivered on a 2xx; else due again at `retryAt`, or
 * `failed` (the dead-letter record, with its last error) once `attempts` reached `maxAttempts`.
 * False when the lease was taken over meanwhile (nothing recorded).
 */
export async function recordTry(
  db: D1Database,
  claimed: ClaimedDelivery,
  result: { ok: boolean; responseCode: number | null; error: string | null },
  retryAt: number,
  maxAttempts: number,
  now: number,
): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE webhook_deliveries SET
         status = CASE WHEN ?4 = 1 THEN 'delivered' WHEN attempts >= ?7 THEN 'failed' ELSE 'pending' END,
         finished_at = CASE WHEN ?4 = 1 OR attempts >= ?7 THEN ?8 ELSE NULL END,
         next_attempt_at = CASE WHEN ?4 = 1 OR attempts >= ?7 THEN next_attempt_at ELSE ?9 END,
         response_code = ?5, last_error = ?6, lease_until = NULL
       WHERE event_id = ?1 AND endpoint_id = ?2 AND status = 'pending' AND lease_until = ?3`,
    )
    .bind(
      claimed.eventId,
      claimed.endpointId,
      claimed.leaseUntil,
      result.ok ? 1 : 0,
      result.responseCode,
      result.error,
      maxAttempts,
      now,
      retryAt,
    )
    .run();
  return r.meta.changes === 1;
}

/** When the tenant's next pending delivery can be tried (its backoff, or the lease on it), or null when none is pending. */
export async function nextDeliveryDue(db: D1Database, tenantId: string): Promise<number | null> {
  const row = await db
    .prepare(
      `SELECT min(max(next_attempt_at, coalesce(lease_until, 0))) AS at FROM webhook_deliveries
       WHERE tenant_id = ?1 AND status = 'pending'`,
    )
    .bind(tenantId)
    .first<{ at: number | null }>();
  return row?.at ?? null;
}

/** Tenants with a delivery due and free since before `stuckBefore`: the cron queues them again. */
export async function tenantsWithStuckDeliveries(
  db: D1Database,
  now: number,
  stuckBefore: number,
  limit: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT tenant_id FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?1) LIMIT ?3`,
    )
    .bind(now, stuckBefore, limit)
    .all<{ tenant_id: string }>();
  return results.map((r) => r.tenant_id);
}
