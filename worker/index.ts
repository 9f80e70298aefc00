import { createApp } from "./app";
import { domainOf } from "./email/address";
import { receiveMail } from "./email/inbound";
import { deliverDueMail } from "./email/mailer";
import type { Env } from "./env";
import { runScheduledJobs } from "./jobs/scheduled";

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
        deliverDueMail(env, Date.now(), { ticketId: outcome.ticketId }).catch((error: unknown) =>
          console.error("mail after inbound not sent now; the cron retries", error),
        ),
      );
    }
  },
} satisfies ExportedHandler<Env>;
