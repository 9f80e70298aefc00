import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type {
  CreateTicketResponse,
  FeedbackResponse,
  ReplyResponse,
  TicketDetailResponse,
} from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { api, count, newTenant, technicalTicket } from "./helpers";

const agentClaims = staff("bob", "Bob Agent");

describe("was this helpful?", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const carol = await t.token({ sub: "carol", name: "Carol Customer", email: "carol@example.com" });
  const agent = await t.token(agentClaims);

  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  const ticketId = created.body.ticket.id;
  const reply = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
    token: agent,
    body: { body: "We rolled the plugin back; please check." },
  });
  const staffReplyId = reply.body.message.id;
  const note = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
    token: agent,
    body: { body: "Customer's host is on node 7.", internal: true },
  });
  const noteId = note.body.message.id;

  const vote = (token: string, messageId: string, helpful: boolean, tenantId = t.id) =>
    api<FeedbackResponse & Problem>("POST", `/api/v1/${tenantId}/messages/${messageId}/feedback`, {
      token,
      body: { helpful },
    });
  const messageAs = async (token: string, id: string) => {
    const res = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token });
    return res.body.ticket.messages.find((m) => m.id === id);
  };
  const votes = () => count("message_votes", "message_id IN (SELECT id FROM messages WHERE tenant_id = ?1)", t.id);

  it("starts at 0 of 0 for agents and no vote for the customer", async () => {
    expect((await messageAs(agent, staffReplyId))?.feedback).toEqual({ helpful: 0, notHelpful: 0 });
    expect((await messageAs(customer, staffReplyId))?.feedback).toEqual({ myVote: null });
  });

  it("keeps one vote per customer: yes, then changed to no", async () => {
    const yes = await vote(customer, staffReplyId, true);
    expect(yes.status).toBe(200);
    expect(yes.body.feedback).toEqual({ myVote: true });
    expect((await messageAs(customer, staffReplyId))?.feedback).toEqual({ myVote: true });
    expect((await messageAs(agent, staffReplyId))?.feedback).toEqual({ helpful: 1, notHelpful: 0 });

    const no = await vote(customer, staffReplyId, false);
    expect(no.status).toBe(200);
    expect(no.body.feedback).toEqual({ myVote: false });
    expect(await count("message_votes", "message_id = ?1", staffReplyId)).toBe(1);
    expect((await messageAs(customer, staffReplyId))?.feedback).toEqual({ myVote: false });
    expect((await messageAs(agent, staffReplyId))?.feedback).toEqual({ helpful: 0, notHelpful: 1 });
  });

  it("offers no vote on the customer's own message", async () => {
    const own = (
      await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token: customer })
    ).body.ticket.messages.find((m) => m.author.kind === "customer");
    expect(own?.feedback).toBeUndefined();
    const before = await votes();
    const res = await vote(customer, own?.id ?? "", true);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await votes()).toBe(before);
  });

  it.each<[string, () => Promise<{ status: number; body: Problem }>, number]>([
    ["an internal note → 404", () => vote(customer, noteId, true), 404],
    ["another customer's ticket → 404", () => vote(carol, staffReplyId, true), 404],
    ["an agent voting → 403", () => vote(agent, staffReplyId, true), 403],
    ["an unknown message id → 404", () => vote(customer, crypto.randomUUID(), true), 404],
  ])("refuses %s and records no vote", async (_, attempt, status) => {
    const before = await votes();
    const res = await attempt();
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(status === 404 ? "not_found" : "forbidden");
    expect(await votes()).toBe(before);
  });

  it("never lets another tenant's user vote on this tenant's reply, even through their own tenant", async () => {
    const other = await newTenant();
    const stranger = await other.token();
    const before = await votes();
    const res = await vote(stranger, staffReplyId, true, other.id);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
    expect(await votes()).toBe(before);
  });

  it("refuses a vote that is not a boolean", async () => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/messages/${staffReplyId}/feedback`, {
      token: customer,
      body: { helpful: "yes" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect((await messageAs(customer, staffReplyId))?.feedback).toEqual({ myVote: false });
  });

  it("hides the internal note, and so its feedback, from the customer", async () => {
    expect(await messageAs(customer, noteId)).toBeUndefined();
    expect((await messageAs(agent, noteId))?.feedback).toBeUndefined();
  });
});
