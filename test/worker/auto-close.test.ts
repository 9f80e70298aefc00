import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { autoCloseReason, sweepAnsweredTickets } from "../../worker/jobs/auto-close";
import type { CreateTicketResponse, ReplyResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, type Claims, count, newTenant, technicalTicket } from "./helpers";

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Past every ticket any test here places in time. */
const FAR_FUTURE = Date.UTC(2200, 0, 1);

interface NotificationRow {
  kind: string;
  recipient: string;
  dedupe_key: string;
  payload: string;
}

type TestTenant = Awaited<ReturnType<typeof newTenant>>;

const agentClaims: Partial<Claims> = staff("bob", "Bob Agent");

/** A customer's ticket that an agent has just answered; `answeredAt` as stored. */
async function answeredTicket(t: TestTenant) {
  const customer = await t.token();
  const agent = await t.token(agentClaims);
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  expect(created.status).toBe(201);
  const id = created.body.ticket.id;
  const reply = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
    token: agent,
    body: { body: "Rolled the plugin back; please check." },
  });
  expect(reply.body.ticket.status).toBe("answered");
  return { id, number: created.body.ticket.number, customer, agent, answeredAt: await answeredAtOf(id) };
}

async function answeredAtOf(id: string): Promise<number> {
  const row = await env.DB.prepare("SELECT answered_at FROM tickets WHERE id = ?1")
    .bind(id)
    .first<{ answered_at: number }>();
  return row!.answered_at;
}

/** Moves the agent's last answer to `at` (the clock is ours: tickets are placed in time). */
async function answerAt(id: string, at: number): Promise<void> {
  await env.DB.prepare("UPDATE tickets SET answered_at = ?2 WHERE id = ?1").bind(id, at).run();
}

async function statusOf(id: string): Promise<string> {
  const row = await env.DB.prepare("SELECT status FROM tickets WHERE id = ?1").bind(id).first<{ status: string }>();
  return row!.status;
}

async function notifications(ticketId: string, kind: string): Promise<NotificationRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT kind, recipient, dedupe_key, payload FROM notifications WHERE ticket_id = ?1 AND kind = ?2 ORDER BY created_at",
  )
    .bind(ticketId, kind)
    .all<NotificationRow>();
  return results;
}

const autoClosures = (ticketId: string) =>
  count("ticket_history", "ticket_id = ?1 AND to_value = 'closed' AND actor_kind = 'system'", ticketId);
const systemMessages = (ticketId: string) => count("messages", "ticket_id = ?1 AND author_kind = 'system'", ticketId);

// A sweep covers every tenant: start each test with nothing left answered by an earlier one.
beforeEach(async () => {
  const flushed = await sweepAnsweredTickets(env.DB, FAR_FUTURE, { maxBatches: 1_000 });
  expect(flushed.done).toBe(true);
});

describe("auto-close", () => {
  it("closes a ticket answered more than 72 hours ago, once, with history, a message and a notice for the customer", async () => {
    const t = await newTenant();
    const { id, number, customer, answeredAt } = await answeredTicket(t);

    for (const at of [answeredAt + 72 * HOUR - MINUTE, answeredAt + 72 * HOUR]) {
      const early = await sweepAnsweredTickets(env.DB, at);
      expect(early.closed).toBe(0);
      expect(await statusOf(id)).toBe("answered");
    }
    expect(await notifications(id, "auto_closed")).toEqual([]);
    expect(await autoClosures(id)).toBe(0);

    const closeAt = answeredAt + 72 * HOUR + 1;
    const swept = await sweepAnsweredTickets(env.DB, closeAt);
    expect(swept).toMatchObject({ closed: 1, done: true });

    const seen = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${id}`, { token: customer });
    expect(seen.status).toBe(200);
    expect(seen.body.ticket.status).toBe("closed");
    expect(seen.body.ticket.history.at(-1)).toMatchObject({
      field: "status",
      from: "answered",
      to: "closed",
      actor: { kind: "system" },
      reason: "Closed automatically after 72 hours without a reply",
    });
    expect(seen.body.ticket.messages.at(-1)).toMatchObject({
      author: { kind: "system" },
      internal: false,
      source: "system",
      body: "This ticket was closed automatically after 72 hours without a reply. Reply to re-open it.",
    });
    const [notice, ...more] = await notifications(id, "auto_closed");
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ recipient: "alice@example.com", dedupe_key: `auto_closed:${id}:${answeredAt}` });
    expect(JSON.parse(notice!.payload)).toMatchObject({
      number,
      subject: technicalTicket.subject,
      closedAt: new Date(closeAt).toISOString(),
    });

    const again = await sweepAnsweredTickets(env.DB, closeAt + 24 * HOUR);
    expect(again.closed).toBe(0);
    expect(await autoClosures(id)).toBe(1);
    expect(await systemMessages(id)).toBe(1);
    expect(await notifications(id, "auto_closed")).toHaveLength(1);
  });

  it("warns the customer once, 24 hours before closing, and again after a later answer", async () => {
    const t = await newTenant();
    const { id, number, customer, agent, answeredAt } = await answeredTicket(t);

    expect((await sweepAnsweredTickets(env.DB, answeredAt + 48 * HOUR)).warned).toBe(0);
    expect(await notifications(id, "closing_soon")).toEqual([]);

    const warnings = [];
    for (const at of [answeredAt + 48 * HOUR + 1, answeredAt + 60 * HOUR, answeredAt + 71 * HOUR]) {
      warnings.push((await sweepAnsweredTickets(env.DB, at)).warned);
    }
    expect(warnings).toEqual([1, 0, 0]);
    const [first, ...others] = await notifications(id, "closing_soon");
    expect(others).toEqual([]);
    expect(first).toMatchObject({ recipient: "alice@example.com", dedupe_key: `closing_soon:${id}:${answeredAt}` });
    expect(JSON.parse(first!.payload)).toEqual({
      number,
      subject: technicalTicket.subject,
      closesAt: new Date(answeredAt + 72 * HOUR).toISOString(),
    });

    // The customer answers, the agent answers again: a new 72 hours, a new warning.
    await api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: customer,
      body: { body: "Still broken on /shop." },
    });
    await api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, { token: agent, body: { body: "Fixed /shop too." } });
    const secondAnswer = answeredAt + 80 * HOUR;
    await answerAt(id, secondAnswer);
    expect((await sweepAnsweredTickets(env.DB, secondAnswer + 48 * HOUR + 1)).warned).toBe(1);
    expect((await notifications(id, "closing_soon")).map((n) => n.dedupe_key)).toEqual([
      `closing_soon:${id}:${answeredAt}`,
      `closing_soon:${id}:${secondAnswer}`,
    ]);
    expect(await statusOf(id)).toBe("answered");
  });

  it("stops when the customer replies at 71 hours, and counts again from the agent's next answer", async () => {
    const t = await newTenant();
    const { id, customer, agent } = await answeredTicket(t);
    const answeredAt = Date.now() - 71 * HOUR;
    await answerAt(id, answeredAt);

    const reply = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: customer,
      body: { body: "That did not help." },
    });
    expect(reply.body.ticket.status).toBe("open");
    const afterReply = await sweepAnsweredTickets(env.DB, answeredAt + 73 * HOUR);
    expect(afterReply).toMatchObject({ closed: 0, warned: 0 });
    expect(await statusOf(id)).toBe("open");
    expect(await autoClosures(id)).toBe(0);
    expect(await notifications(id, "closing_soon")).toEqual([]);

    await api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: agent,
      body: { body: "Try clearing the cache." },
    });
    const answeredAgain = answeredAt + 72 * HOUR;
    await answerAt(id, answeredAgain);
    expect((await sweepAnsweredTickets(env.DB, answeredAgain + 71 * HOUR)).closed).toBe(0);
    expect(await statusOf(id)).toBe("answered");
    expect((await sweepAnsweredTickets(env.DB, answeredAgain + 73 * HOUR)).closed).toBe(1);
    expect(await statusOf(id)).toBe("closed");
    expect(await autoClosures(id)).toBe(1);
  });

  it("restarts the clock when staff answer again before it runs out", async () => {
    const t = await newTenant();
    const k = await answeredTicket(t);
    const now = Date.now();
    await answerAt(k.id, now - 70 * HOUR);
    const again = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${k.id}/messages`, {
      token: k.agent,
      body: { body: "One more thing to check, please." },
    });
    expect(again.body.ticket.status).toBe("answered");
    const restarted = await answeredAtOf(k.id);
    expect(restarted).toBeGreaterThanOrEqual(now);
    // 73 hours after the first answer, but only 3 after the second: still open for a reply.
    await sweepAnsweredTickets(env.DB, now + 3 * HOUR);
    expect(await statusOf(k.id)).toBe("answered");
    await sweepAnsweredTickets(env.DB, restarted + 72 * HOUR + 1);
    expect(await statusOf(k.id)).toBe("closed");
  });

  it("never closes open, in-progress or on-hold tickets, however old", async () => {
    const t = await newTenant();
    const staff = await t.token(agentClaims);
    const open = await answeredTicket(t);
    await api("POST", `/api/v1/${t.id}/tickets/${open.id}/messages`, {
      token: open.customer,
      body: { body: "Any news?" },
    });
    const inProgress = await answeredTicket(t);
    const onHold = await answeredTicket(t);
    for (const [ticket, status] of [
      [inProgress, "in_progress"],
      [onHold, "on_hold"],
    ] as const) {
      const patched = await api("PATCH", `/api/v1/${t.id}/tickets/${ticket.id}`, { token: staff, body: { status } });
      expect(patched.status).toBe(200);
    }
    const ids = [open.id, inProgress.id, onHold.id];
    for (const id of ids) await answerAt(id, Date.now() - 5_000 * HOUR);

    const swept = await sweepAnsweredTickets(env.DB, Date.now() + 10_000 * HOUR);
    expect(swept).toMatchObject({ closed: 0, warned: 0 });
    expect(await Promise.all(ids.map(statusOf))).toEqual(["open", "in_progress", "on_hold"]);
    for (const id of ids) {
      expect(await autoClosures(id)).toBe(0);
      expect(await count("notifications", "ticket_id = ?1 AND kind IN ('closing_soon', 'auto_closed')", id)).toBe(0);
    }
  });

  it("uses each tenant's own window: 24 hours without a warning, 100 hours with one at 76", async () => {
    const short = await newTenant({ config: { autoCloseHours: 24 } });
    const long = await newTenant({ config: { autoCloseHours: 100 } });
    const a = await answeredTicket(short);
    const b = await answeredTicket(long);
    const answeredAt = Date.now();
    await answerAt(a.id, answeredAt);
    await answerAt(b.id, answeredAt);

    const states = async () => [await statusOf(a.id), await statusOf(b.id)];
    await sweepAnsweredTickets(env.DB, answeredAt + 24 * HOUR);
    expect(await states()).toEqual(["answered", "answered"]);
    await sweepAnsweredTickets(env.DB, answeredAt + 24 * HOUR + 1);
    expect(await states()).toEqual(["closed", "answered"]);
    expect((await listHistoryReasons(a.id)).at(-1)).toBe("Closed automatically after 24 hours without a reply");

    await sweepAnsweredTickets(env.DB, answeredAt + 76 * HOUR);
    expect(await notifications(b.id, "closing_soon")).toEqual([]);
    expect((await sweepAnsweredTickets(env.DB, answeredAt + 76 * HOUR + 1)).warned).toBe(1);
    await sweepAnsweredTickets(env.DB, answeredAt + 100 * HOUR);
    expect(await states()).toEqual(["closed", "answered"]);
    await sweepAnsweredTickets(env.DB, answeredAt + 100 * HOUR + 1);
    expect(await states()).toEqual(["closed", "closed"]);
    expect((await listHistoryReasons(b.id)).at(-1)).toBe(autoCloseReason(100));
    expect(autoCloseReason(100)).toBe("Closed automatically after 100 hours without a reply");

    // With a 24-hour window "24 hours before closing" is the moment of the answer: no warning at all.
    expect(await notifications(a.id, "closing_soon")).toEqual([]);
    expect(await notifications(b.id, "closing_soon")).toHaveLength(1);
  });

  it("closes each ticket exactly once when sweeps repeat or run at the same time", async () => {
    const t = await newTenant();
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push(await answeredTicket(t));
    const now = Date.now();
    // Four are due to close, two are due for a warning.
    for (const [i, ticket] of tickets.entries()) await answerAt(ticket.id, now - (i < 4 ? 73 + i : 50 + i) * HOUR);

    const runs = await Promise.all([
      sweepAnsweredTickets(env.DB, now, { batchSize: 2 }),
      sweepAnsweredTickets(env.DB, now, { batchSize: 2 }),
      sweepAnsweredTickets(env.DB, now, { batchSize: 3 }),
    ]);
    const again = await sweepAnsweredTickets(env.DB, now);
    expect(runs.reduce((n, r) => n + r.closed, 0)).toBe(4);
    expect(runs.reduce((n, r) => n + r.warned, 0)).toBe(2);
    expect(again).toMatchObject({ closed: 0, warned: 0, batches: 0, done: true });

    for (const [i, { id }] of tickets.entries()) {
      const due = i < 4;
      expect(await statusOf(id)).toBe(due ? "closed" : "answered");
      expect(await autoClosures(id)).toBe(due ? 1 : 0);
      expect(await systemMessages(id)).toBe(due ? 1 : 0);
      expect(await notifications(id, "auto_closed")).toHaveLength(due ? 1 : 0);
      expect(await notifications(id, "closing_soon")).toHaveLength(due ? 0 : 1);
    }
  });

  it("works through 10,000 due tickets in bounded batches, stopping and resuming without doubles or gaps", async () => {
    const t = await newTenant();
    const now = Date.now();
    const total = 10_000;
    // Groups of 7 share an answered_at, so pages end in the middle of ties (ordered by id).
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?3)
       INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, requester_kind, requester_id,
         requester_email, requester_name, created_at, updated_at, last_activity_at, answered_at)
       SELECT 'bulk-' || ?1 || '-' || n, ?1, 10000000 + n, 'Bulk ticket ' || n, 'answered', 'medium', 'billing', 'user', 'alice',
         'alice@example.com', 'Alice Customer', ?2 - 100 * ?4, ?2 - 100 * ?4, ?2 - 100 * ?4, ?2 - 73 * ?4 - (n / 7) * 1000
       FROM seq`,
    )
      .bind(t.id, now, total, HOUR)
      .run();
    const inTenant = (where: string) => count("tickets", `tenant_id = ?1 AND ${where}`, t.id);
    expect(await inTenant("status = 'answered'")).toBe(total);

    const first = await sweepAnsweredTickets(env.DB, now, { batchSize: 500, maxBatches: 5 });
    expect(first).toMatchObject({ closed: 2_500, batches: 5, done: false });
    expect(await inTenant("status = 'closed'")).toBe(2_500);
    // The oldest answers went first.
    const newestClosed = await env.DB.prepare(
      "SELECT max(answered_at) AS t FROM tickets WHERE tenant_id = ?1 AND status = 'closed'",
    )
      .bind(t.id)
      .first<{ t: number }>();
    const oldestOpen = await env.DB.prepare(
      "SELECT min(answered_at) AS t FROM tickets WHERE tenant_id = ?1 AND status = 'answered'",
    )
      .bind(t.id)
      .first<{ t: number }>();
    expect(newestClosed!.t).toBeLessThanOrEqual(oldestOpen!.t);

    const rest = await sweepAnsweredTickets(env.DB, now, { batchSize: 500, maxBatches: 100 });
    expect(rest).toMatchObject({ closed: 7_500, batches: 15, done: true });
    expect(rest.rowsRead / rest.closed).toBeLessThan(20);

    expect(await inTenant("status = 'closed'")).toBe(total);
    const history = await env.DB.prepare(
      "SELECT count(*) AS n, count(DISTINCT ticket_id) AS tickets FROM ticket_history WHERE tenant_id = ?1 AND to_value = 'closed'",
    )
      .bind(t.id)
      .first<{ n: number; tickets: number }>();
    expect(history).toEqual({ n: total, tickets: total });
    expect(await count("messages", "tenant_id = ?1 AND author_kind = 'system'", t.id)).toBe(total);
    expect(await count("notifications", "tenant_id = ?1 AND kind = 'auto_closed'", t.id)).toBe(total);
  }, 60_000);
});

async function listHistoryReasons(ticketId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT reason FROM ticket_history WHERE ticket_id = ?1 ORDER BY created_at, rowid",
  )
    .bind(ticketId)
    .all<{ reason: string }>();
  return results.map((r) => r.reason);
}
