/**
 * Sends a tenant's due webhook deliveries (as email/ sends mail and alerts/ pages): the queue's
 * consumer calls it for a `{kind: "webhook", tenantId}` message (jobs/deliveries.ts). Each row is
 * claimed for a lease before its POST and recorded under that lease after it, so a message
 * delivered twice, or two consumers at once, send each delivery once. A failed try waits
 * retryDelayMs (30 s, 1 min, … 15 min); after WEBHOOK_TRIES the row is `failed`, with its last
 * error: the dead-letter record the admin sees in the deliveries list.
 */
import { postWebhook, type Transport, viaFetch } from "../alerts/delivery";
import { signStandardWebhook } from "../auth/standard-webhooks";
import { type ClaimedDelivery, claimDelivery, dueDeliveries, recordTry } from "../db/webhooks";
import { retryDelayMs } from "../retry";

/** Tries of one delivery before it is recorded as failed (about 1 h 15 min of backoff in all). */
export const WEBHOOK_TRIES = 10;
/** Deliveries one message sends at most; the rest wait for the next message (the outcome says when). */
const BATCH = 25;

export interface TryResult {
  ok: boolean;
  responseCode: number | null;
  error: string | null;
}

/** One POST of a claimed delivery, signed the Standard Webhooks way; never throws. */
async function post(transport: Transport, d: ClaimedDelivery, now: number): Promise<TryResult> {
  try {
    const headers = await signStandardWebhook(d.secrets, d.eventId, d.payload, now);
    const res = await postWebhook(transport, d.url, d.payload, { "user-agent": "Edgedesk-Webhooks/1", ...headers });
    await res.body?.cancel();
    return { ok: res.ok, responseCode: res.status, error: res.ok ? null : `HTTP ${res.status}` };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, responseCode: null, error: message.slice(0, 300) };
  }
}

/** Claims, sends and records one delivery; null when another run had it or it was done. */
async function deliverOne(
  db: D1Database,
  key: { eventId: string; endpointId: string },
  now: number,
  transport: Transport,
): Promise<TryResult | null> {
  const claimed = await claimDelivery(db, key, now);
  if (!claimed) return null;
  const result = await post(transport, claimed, now);
  await recordTry(db, claimed, result, now + retryDelayMs(claimed.attempts), WEBHOOK_TRIES, now);
  return result;
}

/**
 * Sends the tenant's deliveries due at `now` (or only event `eventId`'s): each claimed, POSTed,
 * recorded. Returns what each try came to, in no particular order.
 */
export async function deliverDueWebhooks(
  db: D1Database,
  tenantId: string,
  now: number,
  options: { transport?: Transport; eventId?: string } = {},
): Promise<TryResult[]> {
  const transport = options.transport ?? viaFetch;
  const due = await dueDeliveries(db, tenantId, now, BATCH, options.eventId);
  const tried = await Promise.all(due.map((key) => deliverOne(db, key, now, transport)));
  return tried.filter((t): t is TryResult => t !== null);
}
