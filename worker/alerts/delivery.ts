/**
 * Pages the on-call team (as email/ sends mail): an alert recorded with a change is queued by the
 * request (jobs/deliveries.ts) and delivered by the queue's consumer, which retries until a contact
 * accepts; nobody acknowledging in time moves the alert to the next contact, queued again by the cron.
 */
import { serverSecret } from "../auth/seal";
import {
  type AttemptRecord,
  alertWithTicket,
  claimAlert,
  claimable,
  dueAlerts,
  logAttempt,
  markDelivered,
  markFailed,
} from "../db/alert-delivery";
import { type Alert, alertById, escalateAlert, markExhausted, unacknowledgedAlerts } from "../db/alerts";
import { insertNotification } from "../db/notifications";
import { readTenant } from "../db/tenants";
import { readTicket, type Ticket } from "../db/tickets";
import type { Env } from "../env";
import { cachedTenantWithKeys } from "../middleware/tenant-cache";
import { LEASE_MS, retryDelayMs } from "../retry";
import type { Tenant } from "../schemas/tenant";
import { ackSignature, signWebhook } from "./signature";

const WEBHOOK_TIMEOUT_MS = 10_000;
const BATCH = 50;

/** How webhooks leave the Worker; tests hand in a receiver, production uses fetch. */
export type Transport = (request: Request) => Promise<Response>;

/** The production transport: the runtime's fetch. */
export const viaFetch: Transport = (request) => fetch(request);

/**
 * The one way a webhook leaves the Worker: a JSON POST with its signature headers and a timeout.
 * Alert pages and event webhooks (webhooks/delivery.ts) both go through it.
 */
export function postWebhook(
  transport: Transport,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<Response> {
  return transport(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    }),
  );
}

/**
 * A page to an on-call webhook: the JSON `body`, signed with the tenant's webhook secret
 * (`Edgedesk-Signature`, alerts/signature.ts), keyed by the delivery for the receiver's dedupe,
 * with a timeout. The same for a real alert and a test page (settings/test-page.ts).
 */
export function postSignedWebhook(
  transport: Transport,
  tenant: Tenant,
  url: string,
  body: string,
  deliveryId: string,
  now: number,
): Promise<Response> {
  return signWebhook(tenant.config.emergency.webhookSecret ?? "", body, Math.floor(now / 1000)).then((signature) =>
    postWebhook(transport, url, body, {
      "user-agent": "Edgedesk-Alerts/1",
      "edgedesk-signature": signature,
      "idempotency-key": deliveryId,
    }),
  );
}

export interface AlertPayload {
  type: "edgedesk.alert";
  /** Stable across retries of this alert: a receiver drops repeats with it. */
  alertId: string;
  /** Stable per alert and contact (the same alert escalated to the next contact is a new delivery). */
  deliveryId: string;
  trigger: Alert["trigger"];
  tenant: { id: string; name: string };
  ticket: { id: string; number: number; subject: string; priority: string; status: string; department: string };
  contact: { index: number; name: string };
  acknowledgeUrl: string;
  createdAt: string;
}

/**
 * Pages `alert`'s contact (claimed by this run); `ticket` when already read with the alert, else
 * read here. Answers the alert as this run's record of the try left it (read in that same
 * batch), or null when the alert ended here (nobody to page).
 */
async function deliverOne(
  env: Env,
  alert: Alert,
  now: number,
  transport: Transport,
  read?: Ticket | null,
): Promise<Alert | null> {
  // The isolate's copy, as the requests use it (stale by at most TENANT_CACHE_MS): no round trip when warm.
  const tenant = (await cachedTenantWithKeys(env.DB, alert.tenantId, now))?.tenant ?? null;
  const ticket = tenant && (read === undefined ? await readTicket(env.DB, alert.tenantId, alert.ticketId) : read);
  const contact = tenant?.config.emergency.contacts[alert.contactIndex];
  if (!tenant || !ticket || !contact) {
    await markExhausted(env.DB, alert.id, contact ? "ticket or tenant is gone" : "no contact to page", "pending");
    return null;
  }
  const base = (env.PUBLIC_URL ?? "").replace(/\/$/, "");
  const sig = await ackSignature(serverSecret(env), tenant.id, alert.id);
  const payload: AlertPayload = {
    type: "edgedesk.alert",
    alertId: alert.id,
    deliveryId: `${alert.id}.${alert.contactIndex}`,
    trigger: alert.trigger,
    tenant: { id: tenant.id, name: tenant.name },
    ticket: {
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      priority: ticket.priority,
      status: ticket.status,
      department: ticket.department,
    },
    contact: { index: alert.contactIndex, name: contact.name },
    acknowledgeUrl: `${base}/api/v1/${tenant.id}/alerts/${alert.id}/ack?sig=${sig}`,
    createdAt: new Date(alert.createdAt).toISOString(),
  };
  const attempt: AttemptRecord = {
    alertId: alert.id,
    tenantId: tenant.id,
    contactIndex: alert.contactIndex,
    channel: contact.channel,
    target: contact.channel === "webhook" ? contact.url : contact.email,
    ok: false,
    statusCode: null,
    error: null,
    createdAt: now,
  };
  const escalateAt = now + tenant.config.emergency.ackWindowMinutes * 60_000;

  // The lease claimAlert took: recording the try is this run's only while it still holds it.
  const lease = alert.leaseUntil;
  if (contact.channel === "email") {
    // Delivered once its notice is written, in the same change; the mailer sends it with retries of its own.
    const notice = insertNotification(env.DB, {
      id: crypto.randomUUID(),
      tenantId: tenant.id,
      ticketId: ticket.id,
      kind: "alert",
      recipient: contact.email,
      dedupeKey: `alert:${payload.deliveryId}`,
      payload: { ...payload },
      createdAt: now,
    });
    const recorded = await markDelivered(env.DB, { ...attempt, ok: true }, escalateAt, lease, [notice]);
    // Lost: acknowledged or taken over meanwhile, and no mail was written.
    return recorded.outcome === "written" ? recorded.alert : alertById(env.DB, alert.id);
  }

  const body = JSON.stringify(payload);
  let tried: AttemptRecord;
  try {
    const res = await postSignedWebhook(transport, tenant, contact.url, body, payload.deliveryId, now);
    await res.body?.cancel();
    tried = res.ok
      ? { ...attempt, ok: true, statusCode: res.status }
      : { ...attempt, statusCode: res.status, error: `HTTP ${res.status}` };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    tried = { ...attempt, error: message.slice(0, 300) };
  }
  const recorded = tried.ok
    ? await markDelivered(env.DB, tried, escalateAt, lease)
    : await markFailed(env.DB, tried, now + retryDelayMs(alert.attempts), lease);
  // The alert moved on meanwhile (acknowledged, or taken over): the webhook was still called, so the log keeps the try.
  return recorded.outcome === "written" ? recorded.alert : logAttempt(env.DB, tried);
}

/**
 * Delivers one alert by id (a queued `{kind: "alert", id}`) in as few round trips as it can: the
 * alert read with its ticket; its lease claimed (before the page leaves); the try recorded with
 * the alert read back in the same batch. Null when there is no such alert; else the alert as
 * first read (`before`) and as it stands after this run (`after`; null when it ended here).
 */
export async function deliverAlertById(
  env: Env,
  id: string,
  now: number,
  transport: Transport = viaFetch,
): Promise<{ before: Alert; after: Alert | null } | null> {
  const read = await alertWithTicket(env.DB, id);
  if (!read) return null;
  const { alert: before, ticket } = read;
  // Not pending, not due yet, or leased by another run: the claim would change nothing, and the read is the answer.
  if (!claimable(before, now)) return { before, after: before };
  const claimed = await claimAlert(env.DB, id, now, LEASE_MS);
  // Acknowledged or taken by another run since the read: how it stands now.
  if (!claimed) return { before, after: await alertById(env.DB, id) };
  return { before, after: await deliverOne(env, claimed, now, transport, ticket) };
}

/**
 * Delivers the alerts that are due (the cron's sweep; a queued delivery names one: deliverAlertById).
 * Each is claimed with a lease first, so overlapping sweeps never page twice.
 */
export async function deliverDueAlerts(
  env: Env,
  now: number,
  options: { transport?: Transport } = {},
): Promise<{ tried: number }> {
  const transport = options.transport ?? viaFetch;
  let tried = 0;
  for (const due of await dueAlerts(env.DB, now, BATCH)) {
    const claimed = await claimAlert(env.DB, due.id, now, LEASE_MS);
    if (!claimed) continue;
    tried++;
    await deliverOne(env, claimed, now, transport);
  }
  return { tried };
}

/** Alerts nobody acknowledged in time go to the next contact (their ids, to queue); with none left, they stop. */
export async function escalateUnacknowledgedAlerts(
  env: Env,
  now: number,
): Promise<{ escalated: string[]; exhausted: number }> {
  const escalated: string[] = [];
  let exhausted = 0;
  for (const alert of await unacknowledgedAlerts(env.DB, now, BATCH)) {
    const tenant = await readTenant(env.DB, alert.tenantId);
    if (tenant && alert.contactIndex + 1 < tenant.config.emergency.contacts.length) {
      if (await escalateAlert(env.DB, alert, now)) escalated.push(alert.id);
    } else {
      await markExhausted(env.DB, alert.id, "nobody acknowledged, and there is no further contact", "delivered");
      exhausted++;
    }
  }
  return { escalated, exhausted };
}
