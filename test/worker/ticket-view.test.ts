import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readTicketDetail } from "../../worker/db/tickets";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse, ReplyResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { api, billingTicket, newTenant } from "./helpers";

/** Attaches a file row to a message directly: what an upload and a reply leave behind. */
async function attachFile(tenantId: string, ticketId: string, messageId: string, name: string): Promise<void> {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    `INSERT INTO attachments (id, tenant_id, uploader, r2_key, name, content_type, size, state, ticket_id, message_id,
       created_at, attached_at)
     VALUES (?1, ?2, 'user:x', ?3, ?4, 'text/plain', 3, 'ready', ?5, ?6, ?7, ?7)`,
  )
    .bind(id, tenantId, `${tenantId}/${ticketId}/${id}`, name, ticketId, messageId, Date.now())
    .run();
}

describe("a ticket's view: one batch whose every read carries the caller's sight", async () => {
  const t = await newTenant();
  const other = await newTenant();
  const alice = await t.token();
  const bob = await t.token({ sub: "bob", email: "bob@example.com", name: "Bob Customer" });
  const agent = await t.token({ sub: "agent-1", email: "agent@example.com", name: "Agent Smith", role: "agent" });

  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: alice,
    body: billingTicket,
  });
  const ticketId = created.body.ticket.id;
  const reply = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
    token: agent,
    body: { body: "We refunded the second charge." },
  });
  const note = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
    token: agent,
    body: { body: "Card flagged twice by the gateway.", internal: true },
  });
  await attachFile(t.id, ticketId, reply.body.message.id, "refund.txt");
  await attachFile(t.id, ticketId, note.body.message.id, "gateway-log.txt");
  await api("PATCH", `/api/v1/${t.id}/tickets/${ticketId}`, { token: agent, body: { status: "in_progress" } });

  it("gives staff everything: internal notes, their files and the history", async () => {
    const detail = await readTicketDetail(env.DB, t.id, ticketId, { kind: "tenant" }, null);
    expect(detail.ticket?.id).toBe(ticketId);
    expect(detail.messages.map((m) => m.internal)).toEqual([false, false, true]);
    expect(detail.attachments.map((a) => a.name)).toEqual(["refund.txt", "gateway-log.txt"]);
    expect(detail.history.length).toBeGreaterThan(0);
  });

  it("gives the requester their ticket without internal notes or their files", async () => {
    const detail = await readTicketDetail(env.DB, t.id, ticketId, { kind: "requester", requesterId: "alice" }, "alice");
    expect(detail.ticket?.id).toBe(ticketId);
    expect(detail.messages.map((m) => m.internal)).toEqual([false, false]);
    expect(detail.attachments.map((a) => a.name)).toEqual(["refund.txt"]);
    const res = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token: alice });
    expect(res.status).toBe(200);
    expect(res.body.ticket.messages.map((m) => m.attachments.map((a) => a.name))).toEqual([[], ["refund.txt"]]);
  });

  it.each([
    ["another customer of the tenant", t.id, { kind: "requester", requesterId: "bob" }],
    ["a guest key of another ticket", t.id, { kind: "ticket", ticketId: "some-other-ticket" }],
    ["staff of another tenant", other.id, { kind: "tenant" }],
  ] as const)("reads nothing at all for %s: no ticket, message, history entry or file", async (_, tenantId, sight) => {
    expect(await readTicketDetail(env.DB, tenantId, ticketId, sight, "bob")).toEqual({
      ticket: null,
      messages: [],
      history: [],
      attachments: [],
      escalation: null,
    });
  });

  it("answers someone else's ticket by id with the same 404 as a ticket that does not exist", async () => {
    const theirs = await api<Problem>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token: bob });
    const none = await api<Problem>("GET", `/api/v1/${t.id}/tickets/no-such-ticket`, { token: bob });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(none.body);
    expect(JSON.stringify(theirs.body)).not.toMatch(/Invoice|refund|gateway|Card flagged/);
  });
});
