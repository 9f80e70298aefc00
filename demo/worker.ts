import type { Context } from "hono";
import PostalMime from "postal-mime";
import { deliverAlertById } from "../worker/alerts/delivery";
import { verifyWebhook } from "../worker/alerts/signature";
import { createApp } from "../worker/app";
import type { Principal } from "../worker/auth/principal";
import { signEmbedToken } from "../worker/auth/token";
import { alertLog } from "../worker/db/alert-log";
import { readTenant } from "../worker/db/tenants";
import { receiveMail } from "../worker/email/inbound";
import type { Env } from "../worker/env";
import { localDateTime, zonedInstant } from "../worker/hours/calendar";
import production from "../worker/index";
import { enqueueDeliveries } from "../worker/jobs/deliveries";
import { runScheduledJobs } from "../worker/jobs/scheduled";
import { sendPage } from "../worker/middleware/page-headers";
import { uploaderOf } from "../worker/tickets/access";
import { createTicket } from "../worker/tickets/create";
import { addMessage } from "../worker/tickets/reply";
import { DEMO_EMBED_KEYS, DEMO_USERS, DEMO_WEBHOOK_SECRET } from "./constants";
import { alertLogPage, type DemoPage, FIRST_STAFF, isStaffUser, outboxPage, panelPage } from "./pages";
import { seedStaff } from "./staff";

/**
 * The demo's Worker: the real app (fetch, scheduled and email, as production runs them) plus the
 * demo pages, a token minter standing in for a hosting panel's backend, and a pager standing in
 * for an SMS gateway. Only `npm start` (wrangler dev) runs this file; `wrangler deploy` ships
 * worker/index.ts, where none of this exists. Should it be deployed by mistake anyway, the demo's
 * routes exist only with the var DEMO=true (scripts/lib/demo-server.ts sets it; wrangler.toml never
 * does) and answer only this machine unless DEMO_PUBLIC=true.
 */
export const demoApp = createApp();
const app = demoApp;

type DemoVars = {
  /** "true" where the demo's routes exist: only `npm start` sets it. */
  DEMO?: string;
  /** "true" to let other machines reach the demo's routes (they hand out tokens and show private links). */
  DEMO_PUBLIC?: string;
};

/** Callers on this machine only: the client's address as the platform gives it, else the address they called. */
function fromLoopback(request: Request): boolean {
  const loopback = ["127.0.0.1", "::1", "[::1]", "localhost"];
  const ip = request.headers.get("cf-connecting-ip");
  return loopback.includes(new URL(request.url).hostname) && (ip === null || loopback.includes(ip));
}

const isDemoPath = (path: string) => path === "/" || path === "/demo" || path.startsWith("/demo/");

app.use("*", async function demoGate(c, next) {
  if (!isDemoPath(c.req.path)) return next();
  // Vars only the demo reads; wrangler hands every --var to env.
  const vars = c.env as Env & DemoVars;
  if (vars.DEMO !== "true") return c.notFound();
  if (vars.DEMO_PUBLIC !== "true" && !fromLoopback(c.req.raw))
    return c.text("The demo answers only callers on this machine (DEMO_PUBLIC=true opens it).", 403);
  return next();
});

/** The most recent Saturday, 10:00 local time, before `now`: outside support hours. */
function lastSaturdayMorning(timeZone: string, now: number): number {
  for (let back = 0; back < 14; back++) {
    const day = localDateTime(timeZone, new Date(now - back * 86_400_000));
    const at = zonedInstant(timeZone, {
      year: day.year,
      month: day.month,
      day: day.day,
      hour: 10,
      minute: 0,
    }).getTime();
    if (day.weekday === "sat" && at < now) return at;
  }
  throw new Error("no Saturday in the last two weeks");
}

app.get("/", (c) => c.redirect("/demo/"));
app.get("/demo", (c) => c.redirect("/demo/"));
const send = (c: Context, page: DemoPage) => sendPage(c, page.html, page.needs);

// The customer panel; staff chosen in its picker work in the admin panel instead.
app.get("/demo/", (c) => {
  const user = c.req.query("user");
  if (isStaffUser(user)) return c.redirect(`/demo/admin?${new URL(c.req.url).searchParams}`);
  return send(c, panelPage());
});
app.get("/demo/hostile", (c) => send(c, panelPage({ hostile: true })));
// The admin panel with <edgedesk-console>, for the demo's agents and admins.
app.get("/demo/admin", (c) => {
  const params = new URL(c.req.url).searchParams;
  if (!params.has("user")) {
    params.set("user", FIRST_STAFF);
    return c.redirect(`/demo/admin?${params}`);
  }
  // A customer (or someone unknown) gets the customer panel.
  if (!isStaffUser(params.get("user") ?? undefined)) return c.redirect(`/demo/?${params}`);
  return send(c, panelPage({ admin: true }));
});

// What a host panel's backend does: sign a short-lived token for the signed-in user.
app.get("/demo/token/:user", async (c) => {
  const user = DEMO_USERS.find((u) => u.key === c.req.param("user"));
  if (!user) return c.text("no such demo user", 404);
  const now = Math.floor(Date.now() / 1000);
  const token = await signEmbedToken(
    {
      iss: user.tenant,
      aud: "edgedesk",
      sub: user.sub,
      email: user.email,
      name: user.name,
      role: user.role,
      services: user.services,
      iat: now,
      exp: now + 15 * 60,
    },
    DEMO_EMBED_KEYS[user.tenant],
  );
  c.header("Cache-Control", "no-store");
  return c.text(token);
});

// The on-call team's "SMS gateway": accepts only deliveries whose signature checks out.
app.post("/demo/pager", async (c) => {
  const body = await c.req.text();
  const ok = await verifyWebhook(
    DEMO_WEBHOOK_SECRET,
    c.req.header("edgedesk-signature") ?? null,
    body,
    Math.floor(Date.now() / 1000),
  );
  return ok ? c.json({ received: true }) : c.json({ received: false, reason: "bad signature" }, 401);
});

app.get("/demo/alerts", async (c) => {
  const tenants = await Promise.all(
    ["demo", "demo-reseller"].map(async (id) => ({ id, alerts: await alertLog(c.env.DB, id, 50) })),
  );
  return send(c, alertLogPage(tenants));
});

interface OutboxRow {
  id: string;
  tenant_id: string;
  created_at: number;
  mail_from: string;
  mail_to: string;
  subject: string;
  message_id: string;
  raw: string;
}

app.get("/demo/outbox", async (c) => {
  // The newest 50, or with `?q=` the newest 50 whose subject contains it.
  const { results } = await c.env.DB.prepare(
    "SELECT * FROM outbox WHERE ?1 = '' OR instr(lower(subject), lower(?1)) > 0 ORDER BY created_at DESC, rowid DESC LIMIT 50",
  )
    .bind(c.req.query("q") ?? "")
    .all<OutboxRow>();
  const mails = await Promise.all(
    results.map(async (r) => {
      const parsed = await PostalMime.parse(r.raw);
      return {
        id: r.id,
        tenantId: r.tenant_id,
        createdAt: r.created_at,
        from: r.mail_from,
        to: r.mail_to,
        subject: r.subject,
        messageId: r.message_id,
        replyTo: parsed.replyTo?.[0]?.address ?? null,
        text: parsed.text ?? "",
        raw: r.raw,
      };
    }),
  );
  return send(c, outboxPage(mails, c.req.query("note") ?? null));
});

// The customer answers a notification by mail: a reply as a mail client writes one (new text on
// top, the notification quoted below), handed to the same email() path Email Routing would use.
app.post("/demo/outbox/:id/reply", async (c) => {
  const row = await c.env.DB.prepare("SELECT * FROM outbox WHERE id = ?1").bind(c.req.param("id")).first<OutboxRow>();
  if (!row) return c.text("no such mail", 404);
  const original = await PostalMime.parse(row.raw);
  const replyTo = original.replyTo?.[0]?.address;
  if (!replyTo) return c.text("that mail takes no replies", 400);
  const text = String((await c.req.formData()).get("text") ?? "").trim() || "Thanks!";
  const quoted = (original.text ?? "")
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\r\n");
  const raw = [
    `From: ${row.mail_to}`,
    `To: ${replyTo}`,
    `Subject: Re: ${row.subject}`,
    `Message-ID: <demo.${crypto.randomUUID()}@mail.example>`,
    `In-Reply-To: ${row.message_id}`,
    `References: ${row.message_id}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    text,
    "",
    `On ${new Date(row.created_at).toUTCString()}, ${row.mail_from} wrote:`,
    quoted,
    "",
  ].join("\r\n");
  let rejected: string | null = null;
  const outcome = await receiveMail(
    c.env,
    {
      from: row.mail_to,
      to: replyTo,
      raw: new Blob([raw]).stream(),
      setReject: (reason) => {
        rejected = reason;
      },
    },
    Date.now(),
  );
  // What the Worker's email() does next: queue the mail the reply caused.
  if (outcome.kind === "created" || outcome.kind === "added")
    await enqueueDeliveries(c.env, [{ kind: "mail", ticketId: outcome.ticketId }]);
  const note =
    rejected ??
    (outcome.kind === "added"
      ? "Your reply was added to the ticket (see it in the control panel)."
      : `Mail ${outcome.kind}.`);
  return c.redirect(`/demo/outbox?note=${encodeURIComponent(note)}`, 303);
});

// Runs the cron's jobs now (the demo's stand-in for waiting for the next minute).
app.post("/demo/cron", async (c) => {
  await runScheduledJobs(c.env, Date.now());
  return c.redirect("/demo/alerts", 303);
});

// Cron Triggers for the local stack (scripts/lib/scheduler.ts calls this on wrangler.toml's schedule):
// wrangler dev fires none, and its /cdn-cgi/handler/scheduled fails with [assets] configured.
app.post("/demo/scheduled", async (c) => {
  if (!fromLoopback(c.req.raw)) return c.text("runs only for callers on this machine", 403);
  const cron = c.req.query("cron");
  const time = Number(c.req.query("time") ?? Date.now());
  if (!cron || !Number.isSafeInteger(time))
    return c.text("?cron=<expression> is required; &time=<ms since the epoch> is optional", 400);
  // What scheduled() runs, awaited here so that the response means the jobs are done.
  await runScheduledJobs(c.env, time);
  return c.json({ cron, scheduledTime: time });
});

// The console's staff directory and canned replies (every start; adds only what is missing).
app.post("/demo/seed-staff", async (c) => c.json(await seedStaff(c.env.DB, Date.now())));

// Tickets that need a past: one about to auto-close, one filed last weekend that paged on-call.
app.post("/demo/seed-history", async (c) => {
  const tenant = await readTenant(c.env.DB, "demo");
  if (!tenant) return c.text("seed the demo tenant first", 409);
  const as = (key: string): Principal => {
    const u = DEMO_USERS.find((x) => x.key === key)!;
    return {
      kind: "user",
      tenantId: u.tenant,
      id: u.sub,
      email: u.email,
      name: u.name,
      role: u.role,
      services: u.services,
    };
  };
  const web = (key: string) => ({ source: "web" as const, uploader: uploaderOf(as(key)) });
  const hour = 3_600_000;
  const now = Date.now();
  const aging = await createTicket(
    c.env,
    tenant,
    as("alice"),
    {
      department: "billing",
      subject: "Change the billing contact to accounts@example.com",
      priority: "low",
      fields: {},
      message: "Please send future invoices to accounts@example.com instead of my personal address.",
    },
    undefined,
    now - 75 * hour,
    web("alice"),
  );
  await addMessage(
    c.env,
    tenant,
    as("bob"),
    aging.ticket.id,
    { body: "Done: invoices now go to accounts@example.com. Anything else?", internal: false },
    now - (tenant.config.autoCloseHours - 0.5) * hour,
    web("bob"),
  );

  // Answered about two days ago: in the console's "Closing soon" view (auto-closes within 24 h).
  const answeredAt = now - (tenant.config.autoCloseHours - 20) * hour;
  const closingSoon = await createTicket(
    c.env,
    tenant,
    as("alice"),
    {
      department: "technical",
      subject: "Enable HTTP/2 for example.com",
      priority: "low",
      serviceId: "svc-web-1",
      fields: { host: "example.com", remote_assistance: true },
      message: "Could you switch on HTTP/2 for example.com? The speed test says it is still served over HTTP/1.1.",
    },
    undefined,
    answeredAt - 6 * hour,
    web("alice"),
  );
  await addMessage(
    c.env,
    tenant,
    as("bob"),
    closingSoon.ticket.id,
    { body: "HTTP/2 is on for example.com now; the speed test should show it after a reload.", internal: false },
    answeredAt,
    web("bob"),
  );

  const weekend = new Date(lastSaturdayMorning(tenant.config.timeZone, now));
  const urgent = await createTicket(
    c.env,
    tenant,
    as("alice"),
    {
      department: "technical",
      subject: "All sites on vps7 down (502 Bad Gateway)",
      priority: "urgent",
      serviceId: "svc-vps-7",
      fields: { host: "203.0.113.17", remote_assistance: true },
      message: "Every site on vps7 answers 502 Bad Gateway since a few minutes ago. Nothing was changed on our side.",
    },
    undefined,
    weekend.getTime(),
    web("alice"),
  );
  for (const id of urgent.alertIds) await deliverAlertById(c.env, id, now);
  await addMessage(
    c.env,
    tenant,
    as("bob"),
    urgent.ticket.id,
    { body: "PHP-FPM had crashed after a kernel update; restarted and pinned. Sites are back.", internal: false },
    weekend.getTime() + 40 * 60_000,
    web("bob"),
  );
  return c.json({
    agingTicket: aging.ticket.number,
    closingSoonTicket: closingSoon.ticket.number,
    weekendTicket: urgent.ticket.number,
    alerts: urgent.alertIds.length,
  });
});

// wrangler dev runs this file as the main module, which must export the Durable Object classes too.
export { TicketPresence } from "../worker/index";

// Production's handlers (scheduled, email: POST /cdn-cgi/handler/email reaches the same inbound
// code as Email Routing does), with the demo's routes in front of the real app.
export default {
  ...production,
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
