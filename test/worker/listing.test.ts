import { describe, expect, it } from "vitest";
import type { CreateTicketResponse, TicketListResponse, TicketView } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, billingTicket, newTenant, technicalTicket } from "./helpers";

const agentClaims = staff("bob", "Bob Agent");
const carolClaims = { sub: "carol", name: "Carol Customer", email: "carol@example.com" };

/** Lets the clock move on, so the next write has a later activity time than the last. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("who sees which tickets", async () => {
  const t = await newTenant();
  const alice = await t.token();
  const carol = await t.token(carolClaims);
  const agent = await t.token(agentClaims);
  const file = (token: string, body: object) =>
    api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token, body });
  const a1 = await file(alice, technicalTicket);
  const a2 = await file(alice, billingTicket);
  const c1 = await file(carol, { ...billingTicket, subject: "Carol's refund" });
  const list = (token: string, query = "") =>
    api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets${query}`, { token });

  it("shows a customer only their own tickets", async () => {
    const res = await list(alice);
    expect(res.status).toBe(200);
    expect(res.body.tickets.map((x) => x.id).sort()).toEqual([a1.body.ticket.id, a2.body.ticket.id].sort());
    expect(res.body.tickets.every((x) => x.requester.id === "alice")).toBe(true);
  });

  it("never shows a customer another customer's ticket, even when searching for it", async () => {
    const bySubject = await list(alice, "?q=refund");
    expect(bySubject.body.tickets).toEqual([]);
    const byNumber = await list(alice, `?q=${c1.body.ticket.number}`);
    expect(byNumber.body.tickets).toEqual([]);
  });

  it("shows an agent the whole tenant queue", async () => {
    const res = await list(agent);
    expect(res.status).toBe(200);
    expect(res.body.tickets.map((x) => x.id).sort()).toEqual(
      [a1.body.ticket.id, a2.body.ticket.id, c1.body.ticket.id].sort(),
    );
  });

  it("gives a customer with no tickets an empty page", async () => {
    const newcomer = await t.token({ sub: "dave", name: "Dave New", email: "dave@example.com" });
    const res = await list(newcomer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tickets: [], nextCursor: null });
  });
});

describe("filters and search", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const agent = await t.token(agentClaims);
  const file = (body: object) =>
    api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: customer, body });

  const stays = await file({ ...technicalTicket, subject: "Mailbox quota exceeded", priority: "high" });
  const answered = await file({ ...billingTicket, subject: "Invoice 2024-17 is wrong", priority: "low" });
  const working = await file({ ...technicalTicket, subject: "DNS zone not saving" });
  const abuse = await file({
    department: "abuse",
    subject: "DMCA notice for example.org",
    message: "See the attached notice.",
  });
  await api("POST", `/api/v1/${t.id}/tickets/${answered.body.ticket.id}/messages`, {
    token: agent,
    body: { body: "Corrected, sorry." },
  });
  await api("PATCH", `/api/v1/${t.id}/tickets/${working.body.ticket.id}`, {
    token: agent,
    body: { status: "in_progress" },
  });

  const ids = async (query: string) => {
    const res = await api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets?${query}`, { token: agent });
    expect(res.status).toBe(200);
    return res.body.tickets.map((x) => x.id).sort();
  };
  const idsOf = (...created: { body: CreateTicketResponse }[]) => created.map((c) => c.body.ticket.id).sort();

  it("filters by one status", async () => {
    expect(await ids("status=answered")).toEqual(idsOf(answered));
    expect(await ids("status=open")).toEqual(idsOf(stays, abuse));
  });

  it("filters by a comma-separated list of statuses", async () => {
    expect(await ids("status=answered,in_progress")).toEqual(idsOf(answered, working));
  });

  it("filters by priority", async () => {
    expect(await ids("priority=high")).toEqual(idsOf(stays));
    expect(await ids("priority=medium")).toEqual(idsOf(working, abuse));
  });

  it("filters by department", async () => {
    expect(await ids("department=technical")).toEqual(idsOf(stays, working));
    expect(await ids("department=abuse")).toEqual(idsOf(abuse));
  });

  it("combines filters", async () => {
    expect(await ids("department=technical&status=open")).toEqual(idsOf(stays));
  });

  it("finds tickets by words of the subject, ignoring case", async () => {
    expect(await ids("q=quota")).toEqual(idsOf(stays));
    expect(await ids("q=dns%20ZONE")).toEqual(idsOf(working));
    expect(await ids("q=nothing-like-this")).toEqual([]);
  });

  it("treats % and _ in the search as plain characters", async () => {
    expect(await ids("q=%25")).toEqual([]);
    expect(await ids("q=_")).toEqual([]);
  });

  it("finds a ticket by its number, with or without #", async () => {
    const number = abuse.body.ticket.number;
    expect(await ids(`q=${number}`)).toEqual(idsOf(abuse));
    expect(await ids(`q=%23${number}`)).toEqual(idsOf(abuse));
  });
});

describe("paging through the queue", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const agent = await t.token(agentClaims);
  const created: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: { ...billingTicket, subject: `Invoice question ${i}` },
    });
    created.push(res.body.ticket.id);
  }

  async function allPages(token: string): Promise<{ pages: TicketListResponse[]; tickets: TicketView[] }> {
    const pages: TicketListResponse[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets?limit=5${query}`, { token });
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor !== null && pages.length < 10);
    return { pages, tickets: pages.flatMap((p) => p.tickets) };
  }

  it("returns every ticket exactly once over pages of 5, newest activity first, ending with a null cursor", async () => {
    const { pages, tickets } = await allPages(customer);
    expect(pages.map((p) => p.tickets.length)).toEqual([5, 5, 2]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const ids = tickets.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    const newestFirst = [...tickets].sort(
      (a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    expect(ids).toEqual(newestFirst.map((x) => x.id));
  });

  it("pages the agent's queue the same way", async () => {
    const { tickets } = await allPages(agent);
    expect(tickets.map((x) => x.id).sort()).toEqual([...created].sort());
  });

  it("has no next page when everything fits", async () => {
    const res = await api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets?limit=12`, { token: customer });
    expect(res.body.tickets).toHaveLength(12);
    expect(res.body.nextCursor).toBeNull();
  });

  it("moves a ticket to the top when someone replies to it", async () => {
    const oldest = created[0] ?? "";
    await tick();
    const reply = await api("POST", `/api/v1/${t.id}/tickets/${oldest}/messages`, {
      token: customer,
      body: { body: "Any news?" },
    });
    expect(reply.status).toBe(201);
    const res = await api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets?limit=3`, { token: customer });
    expect(res.body.tickets[0]?.id).toBe(oldest);
  });
});
