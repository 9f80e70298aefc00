import type { Context } from "hono";
import type { AppEnv } from "../context";
import { enqueueDeliveries } from "../jobs/deliveries";

/**
 * Alerts and notices are recorded with the change; this queues their delivery (jobs/deliveries.ts),
 * off the response's path. A failed enqueue loses nothing: the cron queues what stays unsent.
 */
export function deliverSoon(c: Context<AppEnv>, alertIds: string[], ticketId: string): void {
  c.executionCtx.waitUntil(
    enqueueDeliveries(c.env, [
      { kind: "mail", ticketId },
      ...alertIds.map((id) => ({ kind: "alert" as const, id })),
    ]).catch((error: unknown) =>
      console.error(`deliveries for ticket ${ticketId} not queued; the cron queues them`, error),
    ),
  );
}
