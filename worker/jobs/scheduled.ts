import { escalateUnacknowledgedAlerts } from "../alerts/delivery";
import { sweepExpiredUploads } from "../attachments/service";
import type { Env } from "../env";
import { sweepAnsweredTickets } from "./auto-close";
import { enqueueDeliveries, requeueStuck } from "./deliveries";
import { sweepRetention } from "./retention";

/**
 * Everything the Cron Trigger runs: the sweeps, and the safety net of the delivery queue. Each
 * job is idempotent, so overlapping runs and retries are harmless; one job failing does not stop
 * the others. Sending is the queue consumer's (jobs/deliveries.ts): what a sweep makes due is queued.
 */
export async function runScheduledJobs(env: Env, now: number): Promise<void> {
  const jobs = {
    escalateAlerts: async () => {
      const { escalated } = await escalateUnacknowledgedAlerts(env, now);
      await enqueueDeliveries(
        env,
        escalated.map((id) => ({ kind: "alert", id })),
      );
    },
    autoClose: async () => {
      const { notified, closedIn } = await sweepAnsweredTickets(env.DB, now);
      await enqueueDeliveries(env, [
        ...notified.map((ticketId) => ({ kind: "mail" as const, ticketId })),
        ...closedIn.map((tenantId) => ({ kind: "webhook" as const, tenantId })),
      ]);
    },
    expireUploads: () => sweepExpiredUploads(env, now),
    retention: () => sweepRetention(env.DB, now),
    requeueStuck: () => requeueStuck(env, now),
  };
  const results = await Promise.allSettled(Object.values(jobs).map((job) => job()));
  Object.keys(jobs).forEach((name, i) => {
    const r = results[i];
    if (r?.status === "rejected") console.error(`scheduled job ${name} failed`, r.reason);
  });
}
