import { createApp } from "./app";
import { domainOf } from "./email/address";
import { receiveMail } from "./email/inbound";
import type { Env } from "./env";
import { consumeDeliveries, enqueueDeliveries } from "./jobs/deliveries";
import { runScheduledJobs } from "./jobs/scheduled";
import { changedSoon } from "./presence/notify";

/** Durable Object classes must be exported by the main module (wrangler.toml [[durable_objects.bindings]]). */
export { TicketPresence } from "./presence/ticket-presence";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(env, controller.scheduledTime));
  },
  /** Email Routing delivers replies and new mail here; a throw leaves the mail to be retried. */
  async email(message, env, ctx) {
    const outcome = await receiveMail(env, message, Date.now());
    // The outcome and the receiving domain only: addresses are personal data and stay out of logs.
    console.log(
      `mail to @${domainOf(message.to)}: ${outcome.kind}${"reason" in outcome ? ` (${outcome.reason})` : ""}`,
    );
    if (outcome.kind === "created" || outcome.kind === "added") {
      ctx.waitUntil(
        // Its webhook events too, if the tenant has endpoints (the consumer finds none otherwise).
        enqueueDeliveries(env, [
          { kind: "mail", ticketId: outcome.ticketId },
          { kind: "webhook", tenantId: outcome.tenantId },
        ]).catch((error: unknown) => console.error("mail after inbound not queued; the cron queues it", error)),
      );
    }
    // Consoles that have the ticket open hear of the customer's mail (presence/notify.ts).
    if (outcome.kind === "added")
      changedSoon(
        { env, executionCtx: ctx },
        { tenantId: outcome.tenantId, id: outcome.ticketId, version: outcome.version },
      );
  },
  /** The DELIVERIES queue: notices and alerts recorded by changes (jobs/deliveries.ts). */
  async queue(batch, env) {
    await consumeDeliveries(batch, env, Date.now());
  },
} satisfies ExportedHandler<Env>;
