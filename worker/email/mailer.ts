/**
 * Sends the notices that changes recorded (in the same D1 batch as the change), when the delivery
 * queue's consumer asks (jobs/deliveries.ts), until accepted. A notice for an outside sender is
 * claimed with a lease (a conditional update) so two runs never send it at once, and closed
 * only by the run that holds the lease; a D1 sender (the outbox) writes the mail in one change
 * whose claim is "sent" instead (db/write.ts). Failures are retried with backoff, MAX_ATTEMPTS times.
 *
 * In round trips, for one ticket's notice with the tenant warm in the isolate's cache
 * (middleware/tenant-cache.ts, stale by at most TENANT_CACHE_MS): the due notices are read whole
 * (1), then the outbox's one change writes the claim, the mail and reads what is still due for
 * the ticket (1): 2. An outside sender adds its lease's claim: 3.
 */

import { serverSecret } from "../auth/seal";
import {
  claimNotification,
  markNotificationDone,
  markNotificationFailed,
  nextNoticeDue,
  nextNoticeDueOf,
  readDueNotifications,
  type StoredNotification,
  selectNextNoticeDue,
} from "../db/notifications";
import { ERASED } from "../db/people";
import { claim, type Step, writeChange } from "../db/write";
import type { Env } from "../env";
import { cachedTenantWithKeys } from "../middleware/tenant-cache";
import { LEASE_MS, retryDelayMs } from "../retry";
import type { Tenant } from "../schemas/tenant";
import { composeNotification } from "./compose";
import { configuredSender, type Sender } from "./senders";

/** An outside sender must answer well within the lease, or another run could take the notice. */
const SEND_TIMEOUT_MS = 30_000;
const BATCH = 50;
/** About five days of tries at the 15-minute backoff cap; then the notice is given up. */
export const MAX_ATTEMPTS = 500;

export interface MailStats {
  sent: number;
  skipped: number;
  failed: number;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the sender did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** What a run did, and (for one ticket's run) when that ticket's next unsent notice may be tried. */
interface Run {
  stats: MailStats;
  /** As read by the run's last write (null: nothing left); undefined when no write read it. */
  next?: number | null;
}

export async function deliverDueMail(
  env: Env,
  now: number,
  /** `notificationId`: just that notice (a settings test page, which belongs to no ticket). */
  options: { ticketId?: string; notificationId?: string; tenant?: Tenant; sender?: Sender } = {},
): Promise<MailStats> {
  return (await run(env, now, options)).stats;
}

/**
 * Sends a ticket's due notices (the queue consumer's work) and answers when to look again: the
 * time its next unsent notice may be tried, or null when none is left. That answer is read in
 * the batch of the run's last write, or in a round trip of its own when nothing was written.
 */
export async function deliverTicketMail(
  env: Env,
  ticketId: string,
  now: number,
  sender?: Sender,
): Promise<number | null> {
  const { next } = await run(env, now, { ticketId, sender });
  return next === undefined ? nextNoticeDue(env.DB, ticketId) : next;
}

async function run(
  env: Env,
  now: number,
  options: { ticketId?: string; notificationId?: string; tenant?: Tenant; sender?: Sender },
): Promise<Run> {
  const result: Run = { stats: { sent: 0, skipped: 0, failed: 0 } };
  const { stats } = result;
  const secret = serverSecret(env);
  const sender = options.sender ?? configuredSender(env);
  const inD1 = "rows" in sender;
  const given = options.tenant;
  const tenantOf = async (id: string): Promise<Tenant | null> =>
    given?.id === id ? given : ((await cachedTenantWithKeys(env.DB, id, now))?.tenant ?? null);
  const { ticketId } = options;
  /** Writes `steps` in one change, reading what is still due for the ticket at its end. */
  const write = async (steps: Step[]): Promise<boolean> => {
    const change = await writeChange(env.DB, ticketId ? [...steps, selectNextNoticeDue(env.DB, ticketId)] : steps);
    if (change.outcome === "lost") {
      result.next = undefined;
      return false;
    }
    const read = change.results[steps.length];
    if (ticketId && read) result.next = nextNoticeDueOf(read);
    return true;
  };
  const due = await readDueNotifications(env.DB, now, BATCH, { ticketId, id: options.notificationId });
  for (const read of due) {
    const { id } = read;
    const notice: StoredNotification | null = inD1 ? read : await claimNotification(env.DB, id, now, LEASE_MS);
    if (!notice) {
      // Another run holds it: what is due next is no longer what the last write read.
      result.next = undefined;
      continue;
    }
    // The lease this run holds: what it read (D1 sender), or what its claim set.
    const lease = inD1 ? notice.leaseUntil : now + LEASE_MS;
    try {
      const tenant = await tenantOf(notice.tenantId);
      // A ticket whose requester was erased (docs/privacy.md) has no one to mail.
      const erased = notice.recipient === ERASED;
      const mail = tenant && !erased && (await composeNotification(notice, { tenant, secret, now }));
      if (!mail) {
        const reason = erased
          ? "the requester's data was erased"
          : tenant
            ? "the tenant has no email.fromAddress"
            : "the tenant is gone";
        await write([markNotificationDone(env.DB, id, { kind: "skipped", reason }, now, lease)]);
        stats.skipped++;
        continue;
      }
      const sent = markNotificationDone(
        env.DB,
        id,
        { kind: "sent", messageId: mail.messageId, text: mail.text },
        now,
        lease,
      );
      const addressed = { id: notice.id, tenantId: notice.tenantId };
      if ("rows" in sender) {
        // Lost: another run sent it first.
        if (await write([claim(sent), ...sender.rows(mail, addressed, now)])) stats.sent++;
      } else {
        await withTimeout(sender.send(mail, addressed, now), SEND_TIMEOUT_MS);
        await write([sent]);
        stats.sent++;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const tries = notice.attempts + (inD1 ? 1 : 0);
      console.error(`notification ${id} (${notice.kind}) not sent, try ${tries}: ${reason}`);
      await write([
        tries >= MAX_ATTEMPTS
          ? markNotificationDone(env.DB, id, { kind: "gave_up", reason }, now, lease)
          : markNotificationFailed(env.DB, id, reason, now + retryDelayMs(tries), lease, inD1),
      ]);
      stats.failed++;
    }
  }
  return result;
}
