import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Problem } from "../../worker/errors";
import { sweepAnsweredTickets } from "../../worker/jobs/auto-close";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { api, billingTicket, newTenant } from "./helpers";

const HOUR = 3_600_000;
/** A fixed instant: the tests never depend on today's clock. */
const T0 = Date.UTC(2031, 2, 3, 10, 0, 0);

afterEach(() => {
  vi.useRealTimers();
});

/** A tenant (auto-close after `hours`), its customer, an agent, and a ticket the customer filed at `T0`. */
async function setup(hours = 72) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  const t = await newTenant({ config: { autoCloseHours: hours } });
  const customer = () => t.token();
  const agent = () => t.token({ sub: "agent-1", email: "agent@example.com", name: "Agent Smith", role: "agent" });
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: await customer(),
    body: billingTicket,
  });
  const id = created.body.ticket.id;
  const view = async (token?: string) =>
    (await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${id}`, { token: token ?? (await customer()) }))
      .body.ticket;
  const answer = async () =>
    api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: await agent(),
      body: { body: "We refunded the second charge." },
    });
  return { t, id, customer, agent, view, answer };
}

describe("the customer's view says why a ticket is in its status", () => {
  it("gives an on-hold ticket the agent's own reason from the history", async () => {
    const s = await setup();
    await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, {
      token: await s.agent(),
      body: { status: "on_hold", reason: "Waiting for the data centre to replace the disk." },
    });
    const ticket = await s.view();
    expect(ticket.status).toBe("on_hold");
    expect(ticket.statusReason).toEqual({
      kind: "on_hold",
      note: "Waiting for the data centre to replace the disk.",
      at: new Date(T0).toISOString(),
    });
  });

  it("gives no note when the agent put it on hold without words (the system's default is not a reason)", async () => {
    const s = await setup();
    await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, { token: await s.agent(), body: { status: "on_hold" } });
    expect((await s.view()).statusReason).toMatchObject({ kind: "on_hold", note: null });
  });

  it("has no reason and no closing time for an open ticket", async () => {
    const s = await setup();
    const ticket = await s.view();
    expect(ticket.statusReason).toBeNull();
    expect(ticket.closesAt).toBeNull();
  });

  it("says when an answered ticket closes, from 24 hours before the tenant's auto-close and not earlier", async () => {
    const s = await setup(72);
    await s.answer();
    const closes = new Date(T0 + 72 * HOUR).toISOString();
    vi.setSystemTime(T0 + 48 * HOUR - 1);
    expect((await s.view()).closesAt).toBeNull();
    vi.setSystemTime(T0 + 48 * HOUR);
    expect((await s.view()).closesAt).toBe(closes);
    vi.setSystemTime(T0 + 71 * HOUR);
    const ticket = await s.view();
    expect(ticket.status).toBe("answered");
    expect(ticket.closesAt).toBe(closes);
  });

  it("says at once when the tenant's auto-close is 24 hours or less", async () => {
    const s = await setup(12);
    await s.answer();
    expect((await s.view()).closesAt).toBe(new Date(T0 + 12 * HOUR).toISOString());
  });

  it("says a ticket was closed automatically, once the sweep closed it", async () => {
    const s = await setup(24);
    await s.answer();
    const sweep = await sweepAnsweredTickets(env.DB, T0 + 24 * HOUR + 1);
    expect(sweep.closed).toBeGreaterThanOrEqual(1);
    vi.setSystemTime(T0 + 25 * HOUR);
    const ticket = await s.view();
    expect(ticket.status).toBe("closed");
    expect(ticket.closesAt).toBeNull();
    expect(ticket.statusReason).toMatchObject({ kind: "closed_automatically", note: null });
  });

  it("says a ticket was closed by staff, with their words", async () => {
    const s = await setup();
    await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, {
      token: await s.agent(),
      body: { status: "closed", reason: "Duplicate of #12." },
    });
    expect((await s.view()).statusReason).toMatchObject({ kind: "closed_by_staff", note: "Duplicate of #12." });
  });

  it("says the customer closed it, or resolved it with the fixed reason code", async () => {
    const s = await setup();
    await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, { token: await s.customer(), body: { status: "closed" } });
    expect((await s.view()).statusReason).toMatchObject({ kind: "closed_by_customer" });

    await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, { token: await s.customer(), body: { status: "open" } });
    await s.answer();
    const res = await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, {
      token: await s.customer(),
      body: { status: "closed", reasonCode: "resolved_by_customer" },
    });
    expect(res.status).toBe(200);
    const ticket = await s.view();
    expect(ticket.status).toBe("closed");
    expect(ticket.statusReason).toMatchObject({ kind: "resolved_by_customer", note: null });
    expect(ticket.history.at(-1)).toMatchObject({ from: "answered", to: "closed", reason: "Resolved by the customer" });
  });

  it("refuses the reason code without closing, beside free words, or from staff, and changes nothing", async () => {
    const s = await setup();
    const refusals = [
      [await s.customer(), { status: "open", reasonCode: "resolved_by_customer" }],
      [await s.customer(), { status: "closed", reasonCode: "resolved_by_customer", reason: "fixed" }],
      [await s.customer(), { status: "closed", reasonCode: "fixed_by_magic" }],
      [await s.agent(), { status: "closed", reasonCode: "resolved_by_customer" }],
    ] as const;
    for (const [token, body] of refusals) {
      const res = await api<Problem>("PATCH", `/api/v1/${s.t.id}/tickets/${s.id}`, { token, body });
      expect(res.status).toBe(400);
      expect((res.body.errors ?? []).map((e) => e.path)).toContain("reasonCode");
    }
    expect((await s.view()).status).toBe("open");
  });
});
