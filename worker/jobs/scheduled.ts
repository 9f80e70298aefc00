import { deliverDueAlerts, escalateUnacknowledgedAlerts } from "../alerts/delivery";
import { sweepExpiredUploads } from "../attachments/service";
import { deliverDueMail } from "../email/mailer";
import type { Env } from "../env";
import { sweepAnsweredTickets } from "./auto-close";
import { sweepRetention } from "./retention";

/**
 * Everything the Cron Trigger runs. Each job is an idempotent sweep, so overlapping runs and
 * retries are harmless; one job failing does not stop the others.
 */
export async function runScheduledJobs(env: Env, now: number): Promise<void> {
  const jobs = {
    escalateAlerts: () => escalateUnacknowledgedAlerts(env, now),
    deliverAlerts: () => deliverDueAlerts(env, now),
    autoClose: () => sweepAnsweredTickets(env.DB, now),
    expireUploads: () => sweepExpiredUploads(env, now),
    mail: () => deliverDueMail(env, now),
    retention: () => sweepRetention(env.DB, now),
  };
  const results = await Promise.allSettled(Object.values(jobs).map((job) => job()));
  Object.keys(jobs).forEach((name, i) => {
    const r = results[i];
    if (r?.status === "rejected") console.error(`scheduled job ${name} failed`, r.reason);
  });
}
