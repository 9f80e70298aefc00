/**
 * A tenant's webhook endpoints as the admin API manages them (routes/webhooks.ts): add one (its
 * secret shown once), rotate its secret (the old one keeps signing for a grace period), send it a
 * `webhook.test` event now, remove it, and read its deliveries. The provider's admin API
 * (routes/webhooks.ts) and the tenant's own admins (routes/settings-webhooks.ts) share them; a
 * change an admin of the tenant makes is written with its audit row (`webhook.add`,
 * `webhook.rotate`, `webhook.remove`), the provider's without one (it has no staff identity).
 */
import type { Transport } from "../alerts/delivery";
import { newStandardWebhookSecret } from "../auth/standard-webhooks";
import { type AuditAction, insertAudit } from "../db/audit";
import {
  deleteEndpoint,
  insertEndpoint,
  readEndpoint,
  rotateEndpointSecret,
  type WebhookEndpoint,
} from "../db/webhook-endpoints";
import { insertTestEvent } from "../db/webhook-events";
import type { WebhookDelivery } from "../db/webhooks";
import { claim, writeChange } from "../db/write";
import { notFound } from "../errors";
import type { WebhookEndpointView } from "../schemas/webhooks";
import { deliverDueWebhooks } from "./delivery";
import { newEventId, testEventBody } from "./events";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function endpointView(e: WebhookEndpoint, now: number): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events as WebhookEndpointView["events"],
    includeInternalNotes: e.includeInternalNotes,
    createdAt: new Date(e.createdAt).toISOString(),
    updatedAt: new Date(e.updatedAt).toISOString(),
    previousSecretExpiresAt:
      e.previousSecretUntil !== null && e.previousSecretUntil > now ? iso(e.previousSecretUntil) : null,
  };
}

export function deliveryView(d: WebhookDelivery) {
  return {
    eventId: d.eventId,
    endpointId: d.endpointId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    responseCode: d.responseCode,
    lastError: d.lastError,
    createdAt: new Date(d.createdAt).toISOString(),
    nextAttemptAt: d.status === "pending" ? iso(d.nextAttemptAt) : null,
    finishedAt: iso(d.finishedAt),
  };
}

/** Who made a change: an admin of the tenant (audited), or null for the provider's admin API. */
export type Actor = { id: string; name: string } | null;

function audited(
  db: D1Database,
  tenantId: string,
  by: Actor,
  action: AuditAction,
  detail: Record<string, string | number>,
  now: number,
): D1PreparedStatement[] {
  if (!by) return [];
  return [
    insertAudit(db, { tenantId, ticketId: null, actorId: by.id, actorName: by.name, action, detail, createdAt: now }),
  ];
}

export async function addEndpoint(
  db: D1Database,
  tenantId: string,
  input: { url: string; events: string[]; description: string; includeInternalNotes: boolean },
  now: number,
  by: Actor = null,
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const secret = newStandardWebhookSecret();
  const row = { id: `ep_${crypto.randomUUID().replaceAll("-", "")}`, tenantId, secret, ...input };
  await writeChange(db, [
    insertEndpoint(db, row, now),
    ...audited(db, tenantId, by, "webhook.add", { endpointId: row.id, url: input.url }, now),
  ]);
  const { secret: _, ...rest } = row;
  return {
    endpoint: endpointView({ ...rest, createdAt: now, updatedAt: now, previousSecretUntil: null }, now),
    secret,
  };
}

export async function rotateSecret(
  db: D1Database,
  tenantId: string,
  id: string,
  graceMinutes: number,
  now: number,
  by: Actor = null,
): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
  const secret = newStandardWebhookSecret();
  const graceUntil = now + graceMinutes * 60_000;
  const change = await writeChange(db, [
    claim(rotateEndpointSecret(db, tenantId, id, secret, graceUntil, now)),
    ...audited(db, tenantId, by, "webhook.rotate", { endpointId: id, graceMinutes }, now),
  ]);
  if (change.outcome === "lost") throw notFound("webhook endpoint");
  return { secret, previousSecretExpiresAt: graceMinutes > 0 ? iso(graceUntil) : null };
}

export async function removeEndpoint(db: D1Database, tenantId: string, id: string, now: number, by: Actor = null) {
  const change = await writeChange(db, [
    claim(deleteEndpoint(db, tenantId, id)),
    ...audited(db, tenantId, by, "webhook.remove", { endpointId: id }, now),
  ]);
  if (change.outcome === "lost") throw notFound("webhook endpoint");
}

/**
 * A `webhook.test` event to one endpoint, recorded like any delivery and sent at once, so the
 * admin sees how the endpoint answered. A failed test stays pending and is retried like the rest.
 */
export async function testEndpoint(
  db: D1Database,
  tenantId: string,
  id: string,
  now: number,
  transport: Transport,
): Promise<{ eventId: string; delivered: boolean; statusCode: number | null; error: string | null }> {
  if (!(await readEndpoint(db, tenantId, id))) throw notFound("webhook endpoint");
  const eventId = newEventId();
  await insertTestEvent(db, {
    eventId,
    tenantId,
    endpointId: id,
    payload: testEventBody(tenantId, id, now),
    createdAt: now,
  }).run();
  const [tried] = await deliverDueWebhooks(db, tenantId, now, { transport, eventId });
  return {
    eventId,
    delivered: tried?.ok ?? false,
    statusCode: tried?.responseCode ?? null,
    error: tried ? tried.error : "another delivery run took it; see the deliveries list",
  };
}
