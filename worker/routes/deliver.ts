import type { Context } from "hono";
import type { AppEnv } from "../context";
import { enqueueDeliveries } from "../jobs/deliveries";
import type { Delivery } from "../jobs/delivery";

/** The webhook deliveries a change of this tenant may have written, when it has endpoints (webhooks/). */
function webhookDeliveries(c: Context<AppEnv>): Delivery[] {
  return c.get("webhooks") ? [{ kind: "webhook", tenantId: c.get("tenant").id }] : [];
}

function enqueueSoon(c: Context<AppEnv>, deliveries: Delivery[], what: string): void {
  if (deliveries.length === 0) return;
  c.executionCtx.waitUntil(
    enqueueDeliveries(c.env, deliveries).catch((error: unknown) =>
      console.error(`deliveries for ${what} not queued; the cron queues them`, error),
    ),
  );
}

/**
 * Alerts, notices and webhook events are recorded with the change; this queues their delivery
 * (jobs/deliveries.ts), off the response's path. A failed enqueue loses nothing: the cron queues what stays unsent.
 */
export function deliverSoon(c: Context<AppEnv>, alertIds: string[], ticketId: string, also: Delivery[] = []): void {
  enqueueSoon(
    c,
    [
      { kind: "mail", ticketId },
      ...alertIds.map((id) => ({ kind: "alert" as const, id })),
      ...webhookDeliveries(c),
      ...also,
    ],
    `ticket ${ticketId}`,
  );
}

/** After a change that writes only webhook events (a vote, an acknowledgement): queues them, if the tenant has endpoints. */
export function deliverWebhooksSoon(c: Context<AppEnv>, also: Delivery[] = []): void {
  enqueueSoon(c, [...webhookDeliveries(c), ...also], `tenant ${c.get("tenant").id}`);
}
