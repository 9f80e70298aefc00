import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "../../worker/auth/principal";
import { alertLog } from "../../worker/db/alert-log";
import { readTenant } from "../../worker/db/tenants";
import type { PublicConfig } from "../../worker/schemas/config";
import type { Tenant } from "../../worker/schemas/tenant";
import type { TicketView } from "../../worker/schemas/ticket";
import { uploaderOf } from "../../worker/tickets/access";
import { patchTicket } from "../../worker/tickets/change";
import { createTicket } from "../../worker/tickets/create";
import { addMessage } from "../../worker/tickets/reply";
import { api, billingTicket, newTenant } from "./helpers";

/**
 * The paging policy (docs/alerts.md): who can wake the on-call team, how often a customer's
 * replies may, and what ends an alert. New York instants (EST, UTC-5, in late November).
 */
const SATURDAY_10AM = Date.parse("2026-11-28T15:00:00Z");
const TUESDAY_10AM = Date.parse("2026-11-24T15:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const contacts = [{ channel: "email", name: "On call", email: "oncall@host.example" }];

interface AlertRow {
  trigger: string;
  state: string;
  suppressed_reason: string | null;
  acknowledged_by: string | null;
  closed_at: number | null;
}

async function setup(emergency: Record<string, unknown> = {}) {
  const t = await newTenant({
    config: {
      guestsAllowed: true,
      emergency: { priorities: ["high", "urgent"], ackWindowMinutes: 60, contacts, ...emergency },
    } as never,
  });
  const tenant = (await readTenant(env.DB, t.id)) as Tenant;
  const user = (id: string, role: "customer" | "agent"): Principal => ({
    kind: "user",
    tenantId: t.id,
    id,
    email: `${id}@example.com`,
    name: id,
    role,
    services: [{ id: "svc-1", label: "example.com hosting" }],
  });
  const customer = user("alice", "customer");
  const agent = user("bob", "agent");
  const file = (priority: string, now: number, extra: Record<string, unknown> = {}) =>
    createTicket(env, tenant, customer, { ...billingTicket, priority, fields: {}, ...extra } as never, undefined, now, {
      source: "web",
      uploader: uploaderOf(customer),
    });
  const reply = (who: Principal, ticketId: string, body: string, now: number) =>
    addMessage(env, tenant, who, ticketId, { body, internal: false }, now, {
      source: "web",
      uploader: uploaderOf(who),
    });
  const alertsOf = async (ticketId: string) =>
    (
      await env.DB.prepare(
        "SELECT trigger, state, suppressed_reason, acknowledged_by, closed_at FROM alerts WHERE ticket_id = ?1 ORDER BY created_at",
      )
        .bind(ticketId)
        .all<AlertRow>()
    ).results;
  return { t, tenant, customer, agent, file, reply, alertsOf };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a guest filing Urgent after hours", async () => {
  const s = await setup();
  const guest = { name: "Gina", email: "gina@example.net" };

  it("is told before filing that guests' urgent tickets wait for support to open", async () => {
    vi.setSystemTime(new Date(SATURDAY_10AM));
    const cfg = (await api<PublicConfig>("GET", `/api/v1/${s.t.id}/config`)).body;
    expect(cfg.guestsCanPage).toBe(false);
    expect(cfg.expectedResponse.urgent).toEqual({ kind: "on_call" });
    expect(cfg.guestExpectedResponse.urgent).toEqual({
      kind: "next_business_day",
      opensAt: "2026-11-30T13:00:00.000Z",
    });
  });

  it("files the ticket as Urgent, pages nobody, and answers with the next opening", async () => {
    vi.setSystemTime(new Date(SATURDAY_10AM));
    const res = await api<{ ticket: TicketView }>("POST", `/api/v1/${s.t.id}/tickets`, {
      body: { ...billingTicket, priority: "urgent", guest },
    });
    expect(res.status).toBe(201);
    expect(res.body.ticket.priority).toBe("urgent");
    expect(res.body.ticket.expectedResponse).toEqual({
      kind: "next_business_day",
      opensAt: "2026-11-30T13:00:00.000Z",
    });
    expect(await s.alertsOf(res.body.ticket.id)).toEqual([
      { trigger: "created", state: "suppressed", suppressed_reason: "guest", acknowledged_by: null, closed_at: null },
    ]);
  });

  it("a signed-in customer's Urgent ticket at the same moment pages", async () => {
    const { ticket, alertIds } = await s.file("urgent", SATURDAY_10AM);
    expect(alertIds).toHaveLength(1);
    expect((await s.alertsOf(ticket.id)).map((r) => r.state)).toEqual(["pending"]);
  });

  it("pages for guests too when the tenant allows it", async () => {
    const open = await setup({ guestsCanPage: true });
    vi.setSystemTime(new Date(SATURDAY_10AM));
    expect((await api<PublicConfig>("GET", `/api/v1/${open.t.id}/config`)).body.guestsCanPage).toBe(true);
    const res = await api<{ ticket: TicketView }>("POST", `/api/v1/${open.t.id}/tickets`, {
      body: { ...billingTicket, priority: "urgent", guest },
    });
    expect(res.body.ticket.expectedResponse).toEqual({ kind: "on_call" });
    // Paged: the request queued it, and the queue has handed it to the mail contact.
    expect((await open.alertsOf(res.body.ticket.id)).map((r) => r.state)).toEqual(["delivered"]);
  });
});

describe("a tenant that pages only about a customer's services", async () => {
  const s = await setup({ pagingRequiresService: true });

  it("pages for a ticket about one of the customer's services, and logs the one without as no_service", async () => {
    const about = await s.file("urgent", SATURDAY_10AM, { serviceId: "svc-1" });
    const without = await s.file("urgent", SATURDAY_10AM);
    expect((await s.alertsOf(about.ticket.id)).map((r) => r.state)).toEqual(["pending"]);
    expect(await s.alertsOf(without.ticket.id)).toMatchObject([
      { state: "suppressed", suppressed_reason: "no_service" },
    ]);
    expect(without.alertIds).toEqual([]);
  });
});

describe("a customer's replies to a High ticket after hours", async () => {
  const s = await setup();

  it("page at most once per cooldown, however many courtesy replies there are", async () => {
    const { ticket } = await s.file("high", TUESDAY_10AM);
    const paged: number[] = [];
    for (const [i, text] of ["Confirmed, it works", "Thanks!", "All good", "Great", "Cheers"].entries()) {
      const { alertIds } = await s.reply(s.customer, ticket.id, text, SATURDAY_10AM + i * 10 * MINUTE);
      paged.push(alertIds.length);
    }
    const rows = await s.alertsOf(ticket.id);
    expect(rows.filter((r) => r.state !== "suppressed")).toHaveLength(1);
    expect(rows.map((r) => r.suppressed_reason)).toEqual([
      null,
      "open_alert",
      "open_alert",
      "open_alert",
      "open_alert",
    ]);
    expect(paged[0]).toBe(1);
  });

  it("once staff answered, a reply inside the cooldown is suppressed as cooldown, and one after it pages", async () => {
    const { ticket } = await s.file("high", TUESDAY_10AM);
    await s.reply(s.customer, ticket.id, "Down again", SATURDAY_10AM);
    await s.reply(s.agent, ticket.id, "Fixed.", SATURDAY_10AM + 5 * MINUTE);
    await s.reply(s.customer, ticket.id, "Confirmed, it works", SATURDAY_10AM + 10 * MINUTE);
    await s.reply(s.customer, ticket.id, "Down once more", SATURDAY_10AM + 4 * HOUR + MINUTE);
    expect((await s.alertsOf(ticket.id)).map((r) => [r.state, r.suppressed_reason])).toEqual([
      ["acknowledged", null],
      ["suppressed", "cooldown"],
      ["pending", null],
    ]);
  });

  it("follows the tenant's cooldown", async () => {
    const short = await setup({ replyPageCooldownMinutes: 30 });
    const { ticket } = await short.file("high", TUESDAY_10AM);
    await short.reply(short.customer, ticket.id, "Down", SATURDAY_10AM);
    await short.reply(short.agent, ticket.id, "Fixed.", SATURDAY_10AM + MINUTE);
    await short.reply(short.customer, ticket.id, "Down again", SATURDAY_10AM + 31 * MINUTE);
    expect((await short.alertsOf(ticket.id)).map((r) => r.state)).toEqual(["acknowledged", "pending"]);
  });
});

describe("what ends an alert", async () => {
  const s = await setup();

  it("a staff reply acknowledges it, by name", async () => {
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    await s.reply(s.agent, ticket.id, "On it.", SATURDAY_10AM + MINUTE);
    expect(await s.alertsOf(ticket.id)).toMatchObject([{ state: "acknowledged", acknowledged_by: "bob" }]);
  });

  it("the customer closing the ticket resolves it as closed by the customer, not acknowledged", async () => {
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    await patchTicket(env, s.tenant, s.customer, ticket.id, { status: "closed" }, SATURDAY_10AM + MINUTE);
    expect(await s.alertsOf(ticket.id)).toEqual([
      {
        trigger: "created",
        state: "closed_by_customer",
        suppressed_reason: null,
        acknowledged_by: null,
        closed_at: SATURDAY_10AM + MINUTE,
      },
    ]);
  });

  it("the alert log shows every page and every suppression with its cause", async () => {
    const { ticket } = await s.file("high", TUESDAY_10AM);
    await s.reply(s.customer, ticket.id, "Down", SATURDAY_10AM);
    await s.reply(s.customer, ticket.id, "Hello?", SATURDAY_10AM + MINUTE);
    const log = (await alertLog(env.DB, s.t.id, 50)).filter((a) => a.ticketId === ticket.id);
    expect(log.map((a) => [a.trigger, a.state, a.suppressedReason])).toEqual([
      ["customer_reply", "suppressed", "open_alert"],
      ["customer_reply", "pending", null],
    ]);
  });
});
