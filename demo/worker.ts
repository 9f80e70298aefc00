import { html } from "hono/html";
import { verifyWebhook } from "../worker/alerts/signature";
import { createApp } from "../worker/app";
import type { Principal } from "../worker/auth/principal";
import { signEmbedToken } from "../worker/auth/token";
import { alertLog } from "../worker/db/alerts";
import { readTenant } from "../worker/db/tenants";
import type { Env } from "../worker/env";
import { localDateTime, zonedInstant } from "../worker/hours/calendar";
import { deliverDueAlerts } from "../worker/jobs/alerts";
import { runScheduledJobs } from "../worker/jobs/scheduled";
import { addMessage, createTicket } from "../worker/tickets/service";
import { DEMO_EMBED_SECRET, DEMO_KID, DEMO_USERS, DEMO_WEBHOOK_SECRET } from "./constants";
import { alertLogPage, panelPage } from "./pages";

/**
 * The demo's Worker: the real app plus the demo pages, a token minter standing in for a
 * hosting panel's backend, and a pager standing in for an SMS gateway. Only `npm start`
 * (wrangler dev) runs this file; `wrangler deploy` ships worker/index.ts, where none of this exists.
 */
const app = createApp();

/** The most recent Saturday, 10:00 local time, before `now`: outside support hours. */
function lastSaturdayMorning(timeZone: string, now: number): number {
  for (let back = 0; back < 14; back++) {
    const day = localDateTime(timeZone, new Date(now - back * 86_400_000));
    const at = zonedInstant(timeZone, { year: day.year, month: day.month, day: day.day, hour: 10, minute: 0 }).getTime();
    if (day.weekday === "sat" && at < now) return at;
  }
  throw new Error("no Saturday in the last two weeks");
}

app.get("/", (c) => c.redirect("/demo/"));
app.get("/demo", (c) => c.redirect("/demo/"));
app.get("/demo/", (c) => c.html(panelPage()));
app.get("/demo/hostile", (c) => c.html(panelPage({ hostile: true })));

// What a host panel's backend does: sign a short-lived token for the signed-in user.
app.get("/demo/token/:user", async (c) => {
  const user = DEMO_USERS.find((u) => u.key === c.req.param("user"));
  if (!user) return c.text("no such demo user", 404);
  const now = Math.floor(Date.now() / 1000);
  const token = await signEmbedToken(
    { iss: user.tenant, aud: "edgedesk", sub: user.sub, email: user.email, name: user.name, role: user.role, services: user.services, iat: now, exp: now + 15 * 60 },
    { kid: DEMO_KID, secret: DEMO_EMBED_SECRET },
  );
  c.header("Cache-Control", "no-store");
  return c.text(token);
});

// The on-call team's "SMS gateway": accepts only deliveries whose signature checks out.
app.post("/demo/pager", async (c) => {
  const body = await c.req.text();
  const ok = await verifyWebhook(DEMO_WEBHOOK_SECRET, c.req.header("edgedesk-signature") ?? null, body, Math.floor(Date.now() / 1000));
  return ok ? c.json({ received: true }) : c.json({ received: false, reason: "bad signature" }, 401);
});

app.get("/demo/alerts", async (c) => {
  const tenants = await Promise.all(["demo", "demo-reseller"].map(async (id) => ({ id, alerts: await alertLog(c.env.DB, id, 50) })));
  return c.html(alertLogPage(tenants));
});

// Runs the cron's jobs now (the demo's stand-in for waiting for the next minute).
app.post("/demo/cron", async (c) => {
  await runScheduledJobs(c.env, Date.now());
  return c.redirect("/demo/alerts", 303);
});

// Tickets that need a past: one about to auto-close, one filed last weekend that paged on-call.
app.post("/demo/seed-history", async (c) => {
  const tenant = await readTenant(c.env.DB, "demo");
  if (!tenant) return c.text("seed the demo tenant first", 409);
  const as = (key: string): Principal => {
    const u = DEMO_USERS.find((x) => x.key === key)!;
    return { kind: "user", tenantId: u.tenant, id: u.sub, email: u.email, name: u.name, role: u.role, services: u.services };
  };
  const hour = 3_600_000;
  const now = Date.now();
  const aging = await createTicket(c.env, tenant, as("alice"), {
    department: "billing", subject: "Change the billing contact to accounts@example.com", priority: "low", fields: {},
    message: "Please send future invoices to accounts@example.com instead of my personal address.",
  }, undefined, now - 75 * hour);
  await addMessage(c.env, tenant, as("bob"), aging.ticket.id, { body: "Done: invoices now go to accounts@example.com. Anything else?", internal: false }, now - (tenant.config.autoCloseHours - 0.5) * hour);

  const weekend = new Date(lastSaturdayMorning(tenant.config.timeZone, now));
  const urgent = await createTicket(c.env, tenant, as("alice"), {
    department: "technical", subject: "All sites on vps7 down (502 Bad Gateway)", priority: "urgent", serviceId: "svc-vps-7",
    fields: { host: "203.0.113.17", remote_assistance: true },
    message: "Every site on vps7 answers 502 Bad Gateway since a few minutes ago. Nothing was changed on our side.",
  }, undefined, weekend.getTime());
  await deliverDueAlerts(c.env, now, { ids: urgent.alertIds });
  await addMessage(c.env, tenant, as("bob"), urgent.ticket.id, { body: "PHP-FPM had crashed after a kernel update; restarted and pinned. Sites are back.", internal: false }, weekend.getTime() + 40 * 60_000);
  return c.json({ agingTicket: aging.ticket.number, weekendTicket: urgent.ticket.number, alerts: urgent.alertIds.length });
});

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
