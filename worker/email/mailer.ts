/**
 * Sends the notices that changes recorded (in the same D1 batch as the change), when the delivery
 * queue's consumer asks (jobs/deliveries.ts), until accepted. A notice for an outside sender is
 * claimed with a lease (a conditional update) so two runs never send it at once, and closed
 * only by the run that holds the lease; a D1 sender (the outbox) writes the mail in one change
 * whose claim is "sent" instead (db/write.ts). Failures are retried with backoff, MAX_ATTEMPTS times.
 */

import { serverSecret } from "../auth/seal";
import {
  claimNotification,
  listDueNotifications,
  markNotificationDone,
  markNotificationFailed,
  readDueNotification,
} from "../db/notifications";
import { ERASED } from "../db/people";
import { readTenant } from "../db/tenants";
import { claim, writeChange } from "../db/write";
import type { Env } from "../env";
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

export async function deliverDueMail(
  env: Env,
  now: number,
  /** `notificationId`: just that notice (a settings test page, which belongs to no ticket). */
  options: { ticketId?: string; notificationId?: string; tenant?: Tenant; sender?: Sender } = {},
): Promise<MailStats> {
  const stats: MailStats = { sent: 0, skipped: 0, failed: 0 };
  const secret = serverSecret(env);
  const sender = options.sender ?? configuredSender(env);
  const inD1 = "rows" in sender;
  const tenants = new Map<string, Promise<Tenant | null>>(
    options.tenant ? [[options.tenant.id, Promise.resolve(options.tenant)]] : [],
  );
  const tenantOf = (id: string) => tenants.get(id) ?? tenants.set(id, readTenant(env.DB, id)).get(id)!;
  const due = options.notificationId
    ? [options.notificationId]
    : await listDueNotifications(env.DB, now, BATCH, options.ticketId);
  for (const id of due) {
    const notice = inD1
      ? await readDueNotification(env.DB, id, now)
      : await claimNotification(env.DB, id, now, LEASE_MS);
    if (!notice) continue;
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
        await markNotificationDone(env.DB, id, { kind: "skipped", reason }, now, lease).run();
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
        const change = await writeChange(env.DB, [claim(sent), ...sender.rows(mail, addressed, now)]);
        if (change.outcome === "written") stats.sent++;
      } else {
        await withTimeout(sender.send(mail, addressed, now), SEND_TIMEOUT_MS);
        await sent.run();
        stats.sent++;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const tries = notice.attempts + (inD1 ? 1 : 0);
      console.error(`notification ${id} (${notice.kind}) not sent, try ${tries}: ${reason}`);
      await (tries >= MAX_ATTEMPTS
        ? markNotificationDone(env.DB, id, { kind: "gave_up", reason }, now, lease)
        : markNotificationFailed(env.DB, id, reason, now + retryDelayMs(tries), lease, inD1)
      ).run();
      stats.failed++;
    }
  }
  return stats;
}
