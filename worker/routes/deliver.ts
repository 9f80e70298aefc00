import type { Context } from "hono";
import { deliverDueAlerts } from "../alerts/delivery";
import type { AppEnv } from "../context";
import { deliverDueMail } from "../email/mailer";

/**
 * Alerts and mail are recorded with the change; this sends them right away, after the response,
 * and the cron retries whatever fails.
 */
export function deliverSoon(c: Context<AppEnv>, alertIds: string[], ticketId: string): void {
  if (alertIds.length) c.executionCtx.waitUntil(deliverDueAlerts(c.env, Date.now(), { ids: alertIds }));
  c.executionCtx.waitUntil(
    deliverDueMail(c.env, Date.now(), { ticketId, tenant: c.get("tenant") }).catch((error: unknown) =>
      console.error(`mail for ticket ${ticketId} not sent now; the cron retries`, error),
    ),
  );
}
