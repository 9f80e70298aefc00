/**
 * Sends the notices that changes recorded (in the same D1 batch as the change): right after the
 * change through waitUntil, and from the cron until accepted. A notice is claimed with a lease
 * (a conditional update) so two runs never send it at once; it is marked sent only after the
 * sender accepted it, and a failure is retried with backoff.
 */
import { claimNotification, listDueNotifications, markNotificationFailed, markNotificationSent, readDueNotification } from "../db/notifications";
import { readTenant } from "../db/tenants";
import type { Tenant } from "../schemas/tenant";
import type { Env } from "../env";
import { retryDelayMs } from "../jobs/alerts";
import { composeNotification } from "./compose";
import { configuredSender, type Sender } from "./senders";

const LEASE_MS = 60_000;
const BATCH = 50;

export interface MailStats {
  sent: number;
  skipped: number;
  failed: number;
}

export async function deliverDueMail(env: Env, now: number, options: { ticketId?: string; tenant?: Tenant; sender?: Sender } = {}): Promise<MailStats> {
  const stats: MailStats = { sent: 0, skipped: 0, failed: 0 };
  const secret = env.SECRETS_KEY;
  if (!secret) throw new Error("SECRETS_KEY is not set (wrangler secret put SECRETS_KEY)");
  const sender = options.sender ?? configuredSender(env);
  // A D1 sender commits with "sent" in one conditional batch and needs no lease; any other is
  // claimed first, so that two runs never hand the same notice out twice.
  const inD1 = "statements" in sender;
  for (const id of await listDueNotifications(env.DB, now, BATCH, options.ticketId)) {
    const notice = inD1 ? await readDueNotification(env.DB, id, now) : await claimNotification(env.DB, id, now, LEASE_MS);
    if (!notice) continue;
    try {
      const tenant = options.tenant?.id === notice.tenantId ? options.tenant : await readTenant(env.DB, notice.tenantId);
      const mail = tenant && (await composeNotification(notice, { tenant, secret, now }));
      if (!mail) {
        await markNotificationSent(env.DB, id, { kind: "skipped", reason: tenant ? "the tenant has no email.fromAddress" : "the tenant is gone" }, now).run();
        stats.skipped++;
        continue;
      }
      const sent = markNotificationSent(env.DB, id, { kind: "sent", messageId: mail.messageId, text: mail.text }, now);
      const addressed = { id: notice.id, tenantId: notice.tenantId };
      if ("statements" in sender) {
        const results = await env.DB.batch([...sender.statements(mail, addressed, now), sent]);
        // Nothing changed: another run sent it first.
        if (results.at(-1)?.meta.changes === 1) stats.sent++;
      } else {
        await sender.send(mail, addressed, now);
        await sent.run();
        stats.sent++;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`notification ${id} (${notice.kind}) not sent, try ${notice.attempts}: ${reason}`);
      const tries = notice.attempts + (inD1 ? 1 : 0);
      await markNotificationFailed(env.DB, id, reason, now + retryDelayMs(tries), inD1).run();
      stats.failed++;
    }
  }
  return stats;
}
