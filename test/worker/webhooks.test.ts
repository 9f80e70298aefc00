import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { replyAddress } from "../../worker/email/address";
import type { EscalateResponse } from "../../worker/schemas/escalation";
import type { CreateTicketResponse, ReplyResponse } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, deliverMail, newTenant, technicalTicket } from "./helpers";
import { ALL_EVENTS, addEndpoint, type Received, receivers, verifiedBySpec } from "./webhook-helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

const SENSITIVE = "root-pw-Sensitive-7f3a9c";

/** The Standard Webhooks library's own check (5 minutes' tolerance on the real clock: the API path runs on it). */
function libraryAccepts(secret: string, r: Received): boolean {
  const headers = { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature };
  new Webhook(secret).verify(r.body, headers);
  return true;
}

describe("event webhooks", () => {
  it("sends each event once per change, signed so the Standard Webhooks library accepts it, never with the sensitive value", async () => {
    const t = await newTenant();
    const everything = await addEndpoint(t.id, { url: "https://crm.example/hooks", events: ALL_EVENTS });
    const got = receivers();
    const alice = await t.token();
    const agent = await t.token(staff("agent-7", "Agent Seven"));
    await api("GET", `/api/v1/${t.id}/queue`, { token: agent }); // joins the staff directory
    const base = `/api/v1/${t.id}/tickets`;

    const filed = await api<CreateTicketResponse>("POST", base, {
      token: alice,
      body: { ...technicalTicket, sensitive: SENSITIVE },
    });
    expect(filed.status).toBe(201);
    const id = filed.body.ticket.id;
    const answer = await api<ReplyResponse>("POST", `${base}/${id}/messages`, {
      token: agent,
      body: { body: "Fixed." },
    });
    expect(answer.status).toBe(201);
    await api("POST", `${base}/${id}/messages`, { token: agent, body: { body: "Internal: plugin X", internal: true } });
    await api("POST", `${base}/${id}/messages`, { token: alice, body: { body: "Still broken on /shop." } });
    const vote = await api("POST", `/api/v1/${t.id}/messages/${answer.body.message.id}/feedback`, {
      token: alice,
      body: { helpful: false },
    });
    expect(vote.status).toBe(200);
    await api("PATCH", `${base}/${id}`, { token: agent, body: { status: "in_progress", assignee: "agent-7" } });
    await api("PATCH", `${base}/${id}`, { token: agent, body: { status: "closed", reason: "Solved" } });

    const mine = got.at("https://crm.example/hooks");
    expect(mine.map((r) => r.type).sort()).toEqual([
      "feedback.received",
      "ticket.assigned",
      "ticket.created",
      "ticket.replied",
      "ticket.replied",
      "ticket.status_changed",
      "ticket.status_changed",
      "ticket.status_changed",
      "ticket.status_changed",
    ]);
    expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
    for (const r of mine) {
      expect(libraryAccepts(everything.secret, r)).toBe(true);
      expect(await verifiedBySpec(everything.secret, r)).toBe(true);
      expect(r.body).not.toContain(SENSITIVE);
      expect(r.body).not.toContain("Internal: plugin X");
      expect(r.data.ticket).toMatchObject({ id, number: filed.body.ticket.number, subject: technicalTicket.subject });
      expect(r.data.ticket).not.toHaveProperty("sensitive");
    }
    const [created] = mine.filter((r) => r.type === "ticket.created");
    expect(created?.data).toMatchObject({
      tenant: { id: t.id },
      ticket: { status: "open", department: "technical", requester: { email: "alice@example.com" } },
      message: { body: technicalTicket.message, author: { kind: "customer" }, internal: false },
    });
    const moves = mine.filter((r) => r.type === "ticket.status_changed").map((r) => r.data.change);
    expect(moves).toMatchObject([
      { from: "open", to: "answered" },
      { from: "answered", to: "open" },
      { from: "open", to: "in_progress" },
      { from: "in_progress", to: "closed", reason: "Solved" },
    ]);
    expect(mine.find((r) => r.type === "ticket.assigned")?.data).toMatchObject({
      change: { from: null, to: "agent-7" },
      ticket: { assignee: "agent-7" },
    });
    expect(mine.find((r) => r.type === "feedback.received")?.data).toMatchObject({
      feedback: { messageId: answer.body.message.id, helpful: false },
    });
    // The ticket as each change left it: closed in the last event.
    expect(mine.at(-1)?.data.ticket).toMatchObject({ status: "closed" });
  });

  it("sends internal notes only to endpoints that ask for them, and each endpoint only its events", async () => {
    const t = await newTenant();
    await addEndpoint(t.id, {
      url: "https://notes.example/in",
      events: ["ticket.replied"],
      includeInternalNotes: true,
    });
    await addEndpoint(t.id, { url: "https://public.example/in", events: ["ticket.replied", "ticket.created"] });
    const got = receivers();
    const agent = await t.token(staff("agent-1", "Agent One"));
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: await t.token(),
      body: technicalTicket,
    });
    const id = filed.body.ticket.id;
    await api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
      token: agent,
      body: { body: "Note: customer is on the old PHP", internal: true },
    });
    await api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, { token: agent, body: { body: "On it." } });

    expect(got.types("https://public.example/in")).toEqual(["ticket.created", "ticket.replied"]);
    expect(got.at("https://public.example/in").some((r) => r.body.includes("old PHP"))).toBe(false);
    const notes = got.at("https://notes.example/in");
    expect(notes.map((r) => [r.type, (r.data.message as { internal: boolean }).internal])).toEqual([
      ["ticket.replied", true],
      ["ticket.replied", false],
    ]);
    expect(notes[0]?.data.message).toMatchObject({ body: "Note: customer is on the old PHP" });
  });

  it("keeps a reseller's events to the reseller's endpoints; an escalation tells each side about its own ticket", async () => {
    const provider = await newTenant({ name: "Northwind Hosting" });
    const reseller = await newTenant({ parentId: provider.id, name: "Bluebird Web" });
    await addEndpoint(provider.id, { url: "https://northwind.example/hooks", events: ALL_EVENTS });
    await addEndpoint(reseller.id, { url: "https://bluebird.example/hooks", events: ALL_EVENTS });
    const got = receivers();
    const alice = await reseller.token({ sub: "alice", email: "alice@endcustomer.example", name: "Alice Endcustomer" });
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${reseller.id}/tickets`, {
      token: alice,
      body: { ...technicalTicket, sensitive: SENSITIVE },
    });
    expect(got.types("https://bluebird.example/hooks")).toEqual(["ticket.created"]);
    expect(got.at("https://northwind.example/hooks")).toEqual([]);

    const dana = await reseller.token(staff("dana", "Dana"));
    const escalated = await api<EscalateResponse>(
      "POST",
      `/api/v1/${reseller.id}/tickets/${filed.body.ticket.id}/escalate`,
      { token: dana, body: { note: "Disk looks full" } },
    );
    expect(escalated.status).toBe(201);
    const resellerSide = got.at("https://bluebird.example/hooks").filter((r) => r.type === "ticket.escalated");
    expect(resellerSide.map((r) => r.data)).toMatchObject([
      {
        tenant: { id: reseller.id },
        ticket: { id: filed.body.ticket.id, status: "on_hold" },
        escalation: { direction: "to_provider", provider: { id: provider.id } },
      },
    ]);
    const providerSide = got.at("https://northwind.example/hooks");
    expect(providerSide.map((r) => r.type)).toEqual(["ticket.escalated"]);
    expect(providerSide[0]?.data).toMatchObject({
      tenant: { id: provider.id },
      ticket: { id: escalated.body.escalation.ticketId },
      escalation: { direction: "from_reseller", reseller: { id: reseller.id } },
    });
    // The provider hears of its own ticket only: not the end customer (not included), nor the sensitive value.
    expect(providerSide[0]?.body).not.toContain("alice@endcustomer.example");
    expect(providerSide[0]?.body).not.toContain(filed.body.ticket.id);
    for (const r of got.received) expect(r.body).not.toContain(SENSITIVE);
  });

  it("tells the reseller's endpoints when the provider's answer is relayed onto the reseller's ticket", async () => {
    const provider = await newTenant({ name: "Northwind Hosting" });
    const reseller = await newTenant({ parentId: provider.id, name: "Bluebird Web" });
    await addEndpoint(provider.id, { url: "https://northwind.example/hooks", events: ALL_EVENTS });
    await addEndpoint(reseller.id, {
      url: "https://bluebird.example/notes",
      events: ALL_EVENTS,
      includeInternalNotes: true,
    });
    await addEndpoint(reseller.id, { url: "https://bluebird.example/status", events: ["ticket.status_changed"] });
    const got = receivers();
    const alice = await reseller.token({ sub: "alice", email: "alice@endcustomer.example", name: "Alice Endcustomer" });
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${reseller.id}/tickets`, {
      token: alice,
      body: technicalTicket,
    });
    const escalated = await api<EscalateResponse>(
      "POST",
      `/api/v1/${reseller.id}/tickets/${filed.body.ticket.id}/escalate`,
      { token: await reseller.token(staff("dana", "Dana")), body: { note: "Disk looks full" } },
    );
    expect(escalated.status).toBe(201);
    const providerTicket = `/api/v1/${provider.id}/tickets/${escalated.body.escalation.ticketId}/messages`;
    const pat = await provider.token(staff("pat", "Pat"));
    got.received.length = 0; // the filing and the escalation, told in the test above

    // A provider's internal note is not relayed: the reseller hears nothing.
    await api("POST", providerTicket, { token: pat, body: { body: "Checking the node", internal: true } });
    expect(got.at("https://bluebird.example/notes")).toEqual([]);

    const answer = await api<ReplyResponse>("POST", providerTicket, { token: pat, body: { body: "Cleared /tmp." } });
    expect(answer.status).toBe(201);
    const notes = got.at("https://bluebird.example/notes");
    expect(notes.map((r) => r.type)).toEqual(["ticket.replied", "ticket.status_changed"]);
    expect(notes[0]?.data).toMatchObject({
      tenant: { id: reseller.id },
      ticket: { id: filed.body.ticket.id, status: "open" },
      message: {
        body: "Answer from Northwind Hosting:\n\nCleared /tmp.",
        internal: true,
        source: "system",
        author: { kind: "system", name: "Northwind Hosting" },
      },
    });
    const relayedId = (notes[0]?.data.message as { id: string } | undefined)?.id;
    expect(notes[1]?.data).toMatchObject({
      tenant: { id: reseller.id },
      ticket: { id: filed.body.ticket.id, status: "open" },
      change: { from: "on_hold", to: "open", reason: "Escalation answered", messageId: relayedId },
    });
    // Without notes asked for, only the status; the provider's endpoint hears of its own ticket only.
    expect(got.types("https://bluebird.example/status")).toEqual(["ticket.status_changed"]);
    const providerSide = got.at("https://northwind.example/hooks");
    expect(providerSide.map((r) => r.type)).toEqual(["ticket.replied", "ticket.status_changed"]);
    expect(providerSide.map((r) => r.data.ticket?.id)).toEqual([
      escalated.body.escalation.ticketId,
      escalated.body.escalation.ticketId,
    ]);

    // A second answer while the reseller's ticket is already open: the note, no status change.
    await api("POST", providerTicket, { token: pat, body: { body: "And rotated the logs." } });
    expect(got.types("https://bluebird.example/notes")).toEqual([
      "ticket.replied",
      "ticket.status_changed",
      "ticket.replied",
    ]);
    expect(got.types("https://bluebird.example/status")).toEqual(["ticket.status_changed"]);
  });

  it("sends ticket.replied for a customer's reply by mail", async () => {
    const t = await newTenant();
    const domain = `${t.id}.example`;
    await env.DB.prepare(
      "UPDATE tenants SET config = json_set(config, '$.email', json_object('fromAddress', ?2, 'newTicketsByEmail', json('false'), 'departmentsByAddress', json_object())) WHERE id = ?1",
    )
      .bind(t.id, `support@${domain}`)
      .run();
    await addEndpoint(t.id, { url: "https://crm.example/mail", events: ["ticket.replied"] });
    const got = receivers();
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: await t.token(),
      body: technicalTicket,
    });
    const to = await replyAddress(env.SECRETS_KEY ?? "", t.id, filed.body.ticket.id, domain);
    const raw = [
      "From: Alice Customer <alice@example.com>",
      `To: <${to}>`,
      "Subject: Re: 500 Error on example.com",
      `Message-ID: <webhook.${Date.now()}@mail.example>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      "It happens on /checkout too.",
      "",
    ].join("\r\n");
    expect(await deliverMail(raw, { from: "alice@example.com", to })).toBeNull();
    expect(got.at("https://crm.example/mail").map((r) => [r.type, r.data.message])).toMatchObject([
      ["ticket.replied", { body: "It happens on /checkout too.", source: "email", author: { kind: "customer" } }],
    ]);
  });
});
