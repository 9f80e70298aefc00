/**
 * A tenant's webhook endpoints in D1 (migrations/0006_webhooks.sql): each with its URL, the
 * events it wants, and its signing secret (the one before the last rotation too, while it still signs).
 */
import { insertInto } from "./sql";

export interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  description: string;
  events: string[];
  includeInternalNotes: boolean;
  createdAt: number;
  updatedAt: number;
  /** Until when the secret before the last rotation still signs, beside the current one. */
  previousSecretUntil: number | null;
}

interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  events: string;
  include_internal_notes: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  created_at: number;
  updated_at: number;
}

function toEndpoint(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    includeInternalNotes: r.include_internal_notes === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    previousSecretUntil: r.previous_secret_until,
  };
}

export interface NewEndpoint {
  id: string;
  tenantId: string;
  url: string;
  description: string;
  events: string[];
  includeInternalNotes: boolean;
  secret: string;
}

export async function insertEndpoint(db: D1Database, e: NewEndpoint, now: number): Promise<WebhookEndpoint> {
  await insertInto(db, "webhook_endpoints", {
    id: e.id,
    tenant_id: e.tenantId,
    url: e.url,
    description: e.description,
    events: JSON.stringify(e.events),
    include_internal_notes: e.includeInternalNotes ? 1 : 0,
    secret: e.secret,
    created_at: now,
    updated_at: now,
  }).run();
  const { secret: _, ...rest } = e;
  return { ...rest, createdAt: now, updatedAt: now, previousSecretUntil: null };
}

export async function listEndpoints(db: D1Database, tenantId: string): Promise<WebhookEndpoint[]> {
  const { results } = await db
    .prepare("SELECT * FROM webhook_endpoints WHERE tenant_id = ?1 ORDER BY created_at, id")
    .bind(tenantId)
    .all<EndpointRow>();
  return results.map(toEndpoint);
}

export async function readEndpoint(db: D1Database, tenantId: string, id: string): Promise<WebhookEndpoint | null> {
  const row = await db
    .prepare("SELECT * FROM webhook_endpoints WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<EndpointRow>();
  return row ? toEndpoint(row) : null;
}

/** A new secret; the current one keeps signing beside it until `graceUntil` (no grace: until now). False when there is no such endpoint. */
export async function rotateEndpointSecret(
  db: D1Database,
  tenantId: string,
  id: string,
  secret: string,
  graceUntil: number,
  now: number,
): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = ?4, secret = ?3, updated_at = ?5
       WHERE tenant_id = ?1 AND id = ?2`,
    )
    .bind(tenantId, id, secret, graceUntil, now)
    .run();
  return r.meta.changes === 1;
}

/** Removes an endpoint and, with it, its delivery rows (ON DELETE CASCADE). False when there was none. */
export async function deleteEndpoint(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const r = await db.prepare("DELETE FROM webhook_endpoints WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, id).run();
  // D1 counts the cascaded delivery rows too; they go only when the endpoint did.
  return r.meta.changes > 0;
}
