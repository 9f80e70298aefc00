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

/** The new endpoint's row: a step of the change that adds it (webhooks/endpoints.ts). */
export function insertEndpoint(db: D1Database, e: NewEndpoint, now: number): D1PreparedStatement {
  return insertInto(db, "webhook_endpoints", {
    id: e.id,
    tenant_id: e.tenantId,
    url: e.url,
    description: e.description,
    events: JSON.stringify(e.events),
    include_internal_notes: e.includeInternalNotes ? 1 : 0,
    secret: e.secret,
    created_at: now,
    updated_at: now,
  });
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

/**
 * A new secret; the current one keeps signing beside it until `graceUntil` (no grace: until now).
 * A claim in its change: it changes no row when there is no such endpoint of the tenant.
 */
export function rotateEndpointSecret(
  db: D1Database,
  tenantId: string,
  id: string,
  secret: string,
  graceUntil: number,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = ?4, secret = ?3, updated_at = ?5
       WHERE tenant_id = ?1 AND id = ?2`,
    )
    .bind(tenantId, id, secret, graceUntil, now);
}

/**
 * Removes an endpoint and, with it, its delivery rows (ON DELETE CASCADE). A claim in its change:
 * SQLite reports the endpoint's own row as changed, not the cascaded ones.
 */
export function deleteEndpoint(db: D1Database, tenantId: string, id: string): D1PreparedStatement {
  return db.prepare("DELETE FROM webhook_endpoints WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, id);
}
