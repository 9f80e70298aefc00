/**
 * Background delivery on Cloudflare Queues. A change writes its notices and alerts as rows in its
 * own batch (the record of truth); the request then queues a Delivery naming them, and this
 * consumer sends them in batches. Every message is acked, retried with backoff, or sent to the
 * dead-letter queue with its reason, one by one.
 *
 * Nothing is sent twice: a delivery goes through the rows' claims and leases (email/mailer.ts,
 * alerts/delivery.ts), so a message delivered twice, or a row queued by two paths, sends once.
 * Nothing is lost: an unacked message comes back when the consumer throws or its isolate dies,
 * and what the queue never got (a failed enqueue) the cron's `requeueStuck` queues again.
 */
import { deliverAlertById, type Transport } from "../alerts/delivery";
import { stuckAlerts } from "../db/alerts";
import { ticketsWithStuckNotices } from "../db/notifications";
import { nextDeliveryDue, tenantsWithStuckDeliveries } from "../db/webhooks";
import { deliverTicketMail } from "../email/mailer";
import type { Sender } from "../email/senders";
import type { Env } from "../env";
import { retryDelayMs } from "../retry";
import { deliverDueWebhooks } from "../webhooks/delivery";
import { type Delivery, parseDelivery } from "./delivery";

/** Queue `sendBatch` takes at most 100 messages. */
const SEND_BATCH = 100;
/**
 * Deliveries of one message before its work goes back to the row's own backoff and the cron's
 * safety net. Below wrangler.toml's max_retries, so the platform dead-letters only messages
 * whose consumer kept throwing or dying.
 */
export const QUEUE_TRIES = 5;
/** A row due and unsent this long was missed by the queue (its enqueue failed): the cron queues it again. */
export const STUCK_MS = 60_000;
const STUCK_BATCH = 500;

/** What one delivery came to: finished, something still to try at `at`, or unusable. */
export type Outcome = { kind: "done" } | { kind: "later"; at: number } | { kind: "poison"; reason: string };

/** Tests hand in a webhook transport or a mail sender; production uses the configured ones. */
export interface DeliveryOptions {
  transport?: Transport;
  sender?: Sender;
}

/** Queues deliveries, in as few calls as the queue allows. */
export async function enqueueDeliveries(env: Env, deliveries: readonly Delivery[]): Promise<void> {
  for (let i = 0; i < deliveries.length; i += SEND_BATCH) {
    await env.DELIVERIES.sendBatch(deliveries.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  }
}

/** Does what one Delivery names, as of `now`. */
export async function deliver(
  env: Env,
  delivery: Delivery,
  now: number,
  options: DeliveryOptions = {},
): Promise<Outcome> {
  if (delivery.kind === "mail") {
    // A notice in backoff, or leased by a consumer that may have died: look again when it is free.
    const at = await deliverTicketMail(env, delivery.ticketId, now, options.sender);
    return at === null ? { kind: "done" } : { kind: "later", at };
  }
  if (delivery.kind === "webhook") {
    await deliverDueWebhooks(env.DB, delivery.tenantId, now, { transport: options.transport });
    const at = await nextDeliveryDue(env.DB, delivery.tenantId);
    return at === null ? { kind: "done" } : { kind: "later", at };
  }
  // The alert and its ticket; its lease's claim; the try recorded with the alert read back: done or later, no read after.
  const run = await deliverAlertById(env, delivery.id, now, options.transport);
  if (!run) return { kind: "poison", reason: `alert ${delivery.id} does not exist` };
  if (run.before.state !== "pending") return { kind: "done" };
  const { after } = run;
  if (after?.state === "pending") return { kind: "later", at: Math.max(after.nextAttemptAt, after.leaseUntil ?? 0) };
  // A contact by email was paged with a notice written in the alert's change: its mail is queued next.
  if (after?.state === "delivered") await enqueueDeliveries(env, [{ kind: "mail", ticketId: after.ticketId }]);
  return { kind: "done" };
}

async function deadLetter(env: Env, message: Message, reason: string, now: number): Promise<void> {
  console.error(`delivery message ${message.id} dead-lettered: ${reason}`);
  await env.DEAD_LETTERS.send({ body: message.body, reason, messageId: message.id, at: new Date(now).toISOString() });
}

/** The consumer: each message of the batch acked, retried with backoff, or dead-lettered with its reason. */
export async function consumeDeliveries(
  batch: MessageBatch,
  env: Env,
  now: number,
  options: DeliveryOptions = {},
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const delivery = parseDelivery(message.body);
        const outcome: Outcome = delivery
          ? await deliver(env, delivery, now, options)
          : {
              kind: "poison",
              reason:
                "not a delivery: expected {kind: 'mail', ticketId}, {kind: 'alert', id} or {kind: 'webhook', tenantId}",
            };
        if (outcome.kind === "poison") {
          await deadLetter(env, message, outcome.reason, now);
        } else if (outcome.kind === "later" && message.attempts < QUEUE_TRIES) {
          message.retry({ delaySeconds: Math.max(1, Math.ceil((outcome.at - now) / 1000)) });
          return;
        } else if (outcome.kind === "later") {
          console.warn(
            `delivery message ${message.id}: still pending after ${message.attempts} tries; the cron takes over`,
          );
        }
        message.ack();
      } catch (error) {
        // D1 or the queue failed: nothing was recorded as sent, so the message comes back later.
        console.error(`delivery message ${message.id} failed, try ${message.attempts}`, error);
        message.retry({ delaySeconds: retryDelayMs(message.attempts) / 1000 });
      }
    }),
  );
}

/**
 * The cron's safety net: queues again every notice, alert and webhook delivery that has been due and free for
 * longer than STUCK_MS (its message was never sent, or gave up). Harmless when a message is on its way too.
 */
export async function requeueStuck(env: Env, now: number): Promise<number> {
  const before = now - STUCK_MS;
  const [tickets, alerts, tenants] = await Promise.all([
    ticketsWithStuckNotices(env.DB, now, before, STUCK_BATCH),
    stuckAlerts(env.DB, now, before, STUCK_BATCH),
    tenantsWithStuckDeliveries(env.DB, now, before, STUCK_BATCH),
  ]);
  const deliveries: Delivery[] = [
    ...tickets.map((ticketId) => ({ kind: "mail" as const, ticketId })),
    ...alerts.map((id) => ({ kind: "alert" as const, id })),
    ...tenants.map((tenantId) => ({ kind: "webhook" as const, tenantId })),
  ];
  await enqueueDeliveries(env, deliveries);
  return deliveries.length;
}
