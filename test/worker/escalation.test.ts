import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { EscalateResponse } from "../../worker/schemas/escalation";
import type {
  CreateTicketResponse,
  ReplyResponse,
  TicketDetailResponse,
  TicketListResponse,
} from "../../worker/schemas/ticket";
import { api, count, newTenant, technicalTicket } from "./helpers";

/** A provider (Northwind), its reseller (Bluebird), and a reseller customer's ticket. */
async function resellerSetup() {
  const provider = await newTenant({ name: "Northwind Hosting" });
  const reseller = await newTenant({
    parentId: provider.id,
    name: "Bluebird Web",
    config: { email: { fromAddress: "help@bluebird.example", newTicketsByEmail: false, departmentsByAddress: {} } },
  });
  const alice = await reseller.token({ sub: "alice", email: "alice@customer.example", name: "Alice Endcustomer" });
  const dana = await reseller.token({ sub: "dana", email: "dana@bluebird.example", name: "Dana", role: "agent" });
  const bob = await provider.token({ sub: "bob", email: "bob@northwind.example", name: "Bob", role: "agent" });
  const filed = await api<CreateTicketResponse>("POST", `/api/v1/${reseller.id}/tickets`, {
    token: alice,
    body: { ...technicalTicket, sensitive: "root-password-123" },
  });
  expect(filed.status).toBe(201);
  return { provider, reseller, alice, dana, bob, ticket: filed.body.ticket };
}

type Setup = Awaited<ReturnType<typeof resellerSetup>>;

const escalate = (s: Setup, body: unknown, token = s.dana, headers: Record<string, string> = {}) =>
  api<EscalateResponse & Problem>("POST", `/api/v1/${s.reseller.id}/tickets/${s.ticket.id}/escalate`, {
    token,
    body,
    headers,
  });

const view = (tenant: string, id: string, token: string) =>
  api<TicketDetailResponse & Problem>("GET", `/api/v1/${tenant}/tickets/${id}`, { token });

describe("escalating a reseller's ticket to its provider", () => {
  it("puts the reseller's ticket on hold and gives the provider a linked ticket from the reseller, customer withheld", async () => {
    const s = await resellerSetup();
    const res = await escalate(s, { note: "Disk on the node looks full, can you check?" });
    expect(res.status).toBe(201);
    expect(res.body.ticket.status).toBe("on_hold");
    expect(res.body.escalation).toMatchObject({ direction: "to_provider", tenantId: s.provider.id, status: "open" });

    const mine = await view(s.reseller.id, s.ticket.id, s.dana);
    expect(mine.body.ticket.status).toBe("on_hold");
    expect(mine.body.ticket.history.at(-1)).toMatchObject({ from: "open", to: "on_hold", reason: "escalated" });
    expect(mine.body.ticket.escalation).toEqual({
      direction: "to_provider",
      tenantName: "Northwind Hosting",
      number: res.body.escalation.number,
      status: "open",
    });

    const theirs = await view(s.provider.id, res.body.escalation.ticketId, s.bob);
    expect(theirs.status).toBe(200);
    const linked = theirs.body.ticket;
    expect(linked.subject).toBe(`[Bluebird Web #${s.ticket.number}] ${s.ticket.subject}`);
    expect(linked.requester).toEqual({
      kind: "user",
      id: `tenant:${s.reseller.id}`,
      name: "Bluebird Web",
      email: "help@bluebird.example",
    });
    expect(linked.department).toBe("technical");
    expect(linked.hasSensitive).toBe(false);
    expect(linked.messages).toHaveLength(1);
    expect(linked.messages[0]?.body).toContain("Disk on the node looks full");
    expect(linked.messages[0]?.body).toContain("host: example.com");
    const everything = JSON.stringify(linked);
    expect(everything).not.toContain("alice");
    expect(everything).not.toContain("Alice");
    expect(everything).not.toContain("root-password");
    expect(linked.escalation).toEqual({
      direction: "from_reseller",
      tenantName: "Bluebird Web",
      number: s.ticket.number,
      status: "on_hold",
    });
    const audit = await env.DB.prepare(
      "SELECT actor_id, action, detail FROM audit_log WHERE tenant_id = ?1 AND ticket_id = ?2",
    )
      .bind(s.reseller.id, s.ticket.id)
      .all<{ actor_id: string; action: string; detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({ actor_id: "dana", action: "escalate" });
    expect(JSON.parse(audit.results[0]?.detail ?? "{}")).toMatchObject({
      providerTicketId: res.body.escalation.ticketId,
      includeCustomer: false,
    });
  });

  it("names the provider to the reseller's staff while the ticket can be escalated, and to nobody else", async () => {
    const s = await resellerSetup();
    const before = await view(s.reseller.id, s.ticket.id, s.dana);
    expect(before.body.ticket.escalateTo).toEqual({ name: "Northwind Hosting" });
    // The customer learns nothing of the provider.
    const customer = await view(s.reseller.id, s.ticket.id, s.alice);
    expect(customer.body.ticket).not.toHaveProperty("escalateTo");
    expect(JSON.stringify(customer.body)).not.toContain("Northwind");
    // A provider's own ticket has nobody above it; an escalated ticket is escalated already.
    const escalated = await escalate(s, { note: "Please look at the RAID." });
    expect(escalated.status).toBe(201);
    expect((await view(s.reseller.id, s.ticket.id, s.dana)).body.ticket.escalateTo).toBeNull();
    const linked = await view(s.provider.id, escalated.body.escalation.ticketId, s.bob);
    expect(linked.body.ticket.escalateTo).toBeNull();
  });

  it("names the end customer to the provider only when the reseller includes them", async () => {
    const s = await resellerSetup();
    const res = await escalate(s, { note: "Customer asked to be contacted directly.", includeCustomer: true });
    expect(res.status).toBe(201);
    const linked = (await view(s.provider.id, res.body.escalation.ticketId, s.bob)).body.ticket;
    expect(linked.requester.name).toBe("Bluebird Web");
    expect(linked.messages[0]?.body).toContain("Customer: Alice Endcustomer <alice@customer.example>");
  });

  it("brings the provider's answer back as a staff-only note, never to the customer's view or mail", async () => {
    const s = await resellerSetup();
    const { escalation } = (await escalate(s, { note: "Please check the node." })).body;
    const answer = await api<ReplyResponse>(
      "POST",
      `/api/v1/${s.provider.id}/tickets/${escalation.ticketId}/messages`,
      { token: s.bob, body: { body: "The node's disk was full; we cleaned it up." } },
    );
    expect(answer.status).toBe(201);
    // The provider's internal note stays with the provider.
    await api("POST", `/api/v1/${s.provider.id}/tickets/${escalation.ticketId}/messages`, {
      token: s.bob,
      body: { body: "Node 7 again, open an infra ticket.", internal: true },
    });

    const staffView = (await view(s.reseller.id, s.ticket.id, s.dana)).body.ticket;
    const relayed = staffView.messages.filter((m) => m.body.startsWith("Answer from Northwind Hosting:"));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toMatchObject({ internal: true, author: { kind: "system", name: "Northwind Hosting" } });
    expect(relayed[0]?.body).toContain("The node's disk was full; we cleaned it up.");
    expect(JSON.stringify(staffView)).not.toContain("infra ticket");
    // Open again, so that the reseller's queue shows it needs attention.
    expect(staffView.status).toBe("open");
    expect(staffView.history.at(-1)).toMatchObject({ from: "on_hold", to: "open", reason: "Escalation answered" });

    const customerView = await view(s.reseller.id, s.ticket.id, s.alice);
    expect(customerView.status).toBe(200);
    const seen = JSON.stringify(customerView.body);
    expect(seen).not.toContain("disk was full");
    expect(seen).not.toContain("Northwind");
    expect(customerView.body.ticket).not.toHaveProperty("escalation");
    expect(customerView.body.ticket.messages.map((m) => m.author.kind)).toEqual(["customer"]);

    // No mail to the end customer about it; the provider's answer mails the reseller.
    expect(await count("notifications", "ticket_id = ?1 AND kind = 'agent_replied'", s.ticket.id)).toBe(0);
    expect(await count("notifications", "recipient = ?1 AND kind = 'agent_replied'", "alice@customer.example")).toBe(0);
    const mail = await env.DB.prepare(
      "SELECT recipient FROM notifications WHERE ticket_id = ?1 AND kind = 'agent_replied'",
    )
      .bind(escalation.ticketId)
      .all<{ recipient: string }>();
    expect(mail.results.map((r) => r.recipient)).toEqual(["help@bluebird.example"]);
  });

  it("escalates once: again is a 409 naming the provider's ticket, and nothing is doubled", async () => {
    const s = await resellerSetup();
    const first = await escalate(s, { note: "First." });
    expect(first.status).toBe(201);
    const again = await escalate(s, { note: "Second." });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    expect(again.body.detail).toContain(`#${first.body.escalation.number}`);
    expect(await count("tickets", "escalated_from = ?1", s.ticket.id)).toBe(1);
    expect(await count("tickets", "tenant_id = ?1", s.provider.id)).toBe(1);
    expect(await count("audit_log", "ticket_id = ?1 AND action = 'escalate'", s.ticket.id)).toBe(1);
    expect(await count("ticket_history", "ticket_id = ?1 AND reason = 'escalated'", s.ticket.id)).toBe(1);
  });

  it("lets one of two simultaneous escalations through and refuses the other", async () => {
    const s = await resellerSetup();
    const results = await Promise.all([escalate(s, { note: "A." }), escalate(s, { note: "B." })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await count("tickets", "tenant_id = ?1", s.provider.id)).toBe(1);
    expect(await count("messages", "tenant_id = ?1", s.provider.id)).toBe(1);
  });

  it("answers a retry with the same Idempotency-Key with the first escalation", async () => {
    const s = await resellerSetup();
    const headers = { "idempotency-key": "esc-1" };
    const first = await escalate(s, { note: "Once." }, s.dana, headers);
    const retry = await escalate(s, { note: "Once." }, s.dana, headers);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.escalation.ticketId).toBe(first.body.escalation.ticketId);
    expect(await count("tickets", "tenant_id = ?1", s.provider.id)).toBe(1);
    const reused = await escalate(s, { note: "Something else." }, s.dana, headers);
    expect(reused.status).toBe(422);
  });

  it("refuses a tenant without a provider with a clear problem, and changes nothing", async () => {
    const provider = await newTenant({ name: "Northwind Hosting" });
    const bob = await provider.token({ sub: "bob", name: "Bob", role: "agent" });
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${provider.id}/tickets`, {
      token: await provider.token(),
      body: technicalTicket,
    });
    const res = await api<Problem>("POST", `/api/v1/${provider.id}/tickets/${filed.body.ticket.id}/escalate`, {
      token: bob,
      body: { note: "Up?" },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("no provider to escalate to");
    expect((await view(provider.id, filed.body.ticket.id, bob)).body.ticket.status).toBe("open");
  });

  it("refuses a closed ticket and an empty note", async () => {
    const s = await resellerSetup();
    expect((await escalate(s, { note: "" })).status).toBe(400);
    await api("PATCH", `/api/v1/${s.reseller.id}/tickets/${s.ticket.id}`, {
      token: s.dana,
      body: { status: "closed" },
    });
    const closed = await escalate(s, { note: "Late." });
    expect(closed.status).toBe(409);
    expect(closed.body.detail).toContain("closed");
    expect(await count("tickets", "tenant_id = ?1", s.provider.id)).toBe(0);
  });

  it("is a 404 for customers, and for a ticket of another tenant", async () => {
    const s = await resellerSetup();
    const customer = await escalate(s, { note: "Me too." }, s.alice);
    expect(customer.status).toBe(404);
    const other = await newTenant({ parentId: s.provider.id, name: "Other Reseller" });
    const stranger = await other.token({ sub: "eve", name: "Eve", role: "agent" });
    const res = await api("POST", `/api/v1/${other.id}/tickets/${s.ticket.id}/escalate`, {
      token: stranger,
      body: { note: "Not mine." },
    });
    expect(res.status).toBe(404);
    expect(await count("tickets", "tenant_id = ?1", s.provider.id)).toBe(0);
  });
});

describe("who sees what across a provider and its reseller", () => {
  it("lists the escalated ticket to the provider's agent, and none of the reseller's own tickets", async () => {
    const s = await resellerSetup();
    const { escalation } = (await escalate(s, { note: "Please look." })).body;
    const list = await api<TicketListResponse>("GET", `/api/v1/${s.provider.id}/tickets`, { token: s.bob });
    expect(list.body.tickets.map((t) => t.id)).toEqual([escalation.ticketId]);
    expect((await view(s.provider.id, s.ticket.id, s.bob)).status).toBe(404);
    expect((await view(s.reseller.id, s.ticket.id, s.bob)).status).toBe(401);
  });

  it("never shows a reseller's agent the provider's tickets", async () => {
    const s = await resellerSetup();
    const { escalation } = (await escalate(s, { note: "Please look." })).body;
    const own = await api<CreateTicketResponse>("POST", `/api/v1/${s.provider.id}/tickets`, {
      token: await s.provider.token({ sub: "carol", name: "Carol" }),
      body: technicalTicket,
    });
    expect((await view(s.reseller.id, escalation.ticketId, s.dana)).status).toBe(404);
    expect((await view(s.reseller.id, own.body.ticket.id, s.dana)).status).toBe(404);
    const list = await api<TicketListResponse>("GET", `/api/v1/${s.reseller.id}/tickets`, { token: s.dana });
    expect(list.body.tickets.map((t) => t.id)).toEqual([s.ticket.id]);
    // The reseller's token does not open the provider's desk at all.
    expect((await api("GET", `/api/v1/${s.provider.id}/tickets`, { token: s.dana })).status).toBe(401);
  });
});
