import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse, ReplyResponse, Status } from "../../worker/schemas/ticket";
import { api, count, newTenant, technicalTicket } from "./helpers";

/** Replies are appends (worker/tickets/reply.ts): they never collide, and a retry with its key posts nothing twice. */

interface Detail {
  ticket: { status: Status; history: { field: string; from: string | null; to: string | null }[] };
}

async function desk() {
  const t = await newTenant();
  const customer = await t.token();
  const agent = await t.token({ sub: "bob", email: "bob@host.example", name: "Bob", role: "agent" });
  const file = async () => {
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: technicalTicket,
    });
    expect(created.status).toBe(201);
    return created.body.ticket.id;
  };
  const reply = (ticketId: string, token: string, body: string, headers: Record<string, string> = {}) =>
    api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
      token,
      headers,
      body: { body, internal: false },
    });
  return { t, customer, agent, file, reply };
}

describe("replies never collide", () => {
  // Generous timeouts: the machine runs all of these requests in one workerd at once.
  it("stores 50 concurrent replies on one ticket: 50 messages, no 409", { timeout: 120_000 }, async () => {
    const { customer, agent, file, reply } = await desk();
    const ticketId = await file();

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reply(ticketId, i % 2 ? agent : customer, `Reply ${i}`)),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    // The ticket's first message, and the fifty replies.
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(51);
  });

  it("explains every ticket's status by its history after 200 concurrent replies and status changes on 10 tickets", {
    timeout: 240_000,
  }, async () => {
    const { t, customer, agent, file, reply } = await desk();
    const tickets = await Promise.all(Array.from({ length: 10 }, file));
    const statuses: Status[] = ["closed", "open", "answered", "on_hold"];

    const answers = await Promise.all(
      // Each ticket gets ten replies (customers' and staff's) and ten status changes, interleaved.
      Array.from({ length: 200 }, (_, i) => {
        const ticketId = tickets[i % 10]!;
        const round = Math.floor(i / 10);
        if (round % 2 === 0) return reply(ticketId, round % 4 === 0 ? customer : agent, `Reply ${i}`);
        return api("PATCH", `/api/v1/${t.id}/tickets/${ticketId}`, {
          token: agent,
          body: { status: statuses[Math.floor(round / 2) % statuses.length] },
        });
      }),
    );

    const replies = answers.filter((_, i) => Math.floor(i / 10) % 2 === 0);
    expect(replies.map((a) => a.status)).toEqual(Array(100).fill(201));
    // A status change may still lose every retry to the replies (409, saying so); it never fails otherwise.
    const changes = answers.filter((_, i) => Math.floor(i / 10) % 2 === 1);
    for (const a of changes) expect([200, 409]).toContain(a.status);
    for (const ticketId of tickets) {
      // Each ticket: its first message and ten replies.
      expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(11);
      const view = await api<Detail>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token: agent });
      const changes = view.body.ticket.history.filter((h) => h.field === "status");
      expect(changes.at(-1)?.to).toBe(view.body.ticket.status);
      for (let i = 1; i < changes.length; i++) expect(changes[i]?.from).toBe(changes[i - 1]?.to);
    }
  });
});

describe("Idempotency-Key on replies", () => {
  it("answers a retry with the first message, never a second one", async () => {
    const { customer, file, reply } = await desk();
    const ticketId = await file();
    const headers = { "idempotency-key": "reply-1" };

    const first = await reply(ticketId, customer, "Still broken.", headers);
    const again = await reply(ticketId, customer, "Still broken.", headers);

    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.message.id).toBe(first.body.message.id);
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(2);
  });

  it("writes one message when retries with the same key race each other", async () => {
    const { customer, file, reply } = await desk();
    const ticketId = await file();
    const headers = { "idempotency-key": "reply-race" };

    const answers = await Promise.all(Array.from({ length: 5 }, () => reply(ticketId, customer, "Hello?", headers)));

    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(201));
    expect(new Set(answers.map((a) => a.body.message.id)).size).toBe(1);
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(2);
  });

  it("refuses the same key with a different body (422) and writes nothing", async () => {
    const { customer, file, reply } = await desk();
    const ticketId = await file();
    const headers = { "idempotency-key": "reply-2" };
    await reply(ticketId, customer, "First.", headers);

    const res = await reply(ticketId, customer, "Something else.", headers);

    expect(res.status).toBe(422);
    expect((res.body as unknown as Problem).code).toBe("idempotency_key_reused");
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(2);
  });

  it("scopes keys to the caller and the ticket: the same key elsewhere is a new reply", async () => {
    const { customer, agent, file, reply } = await desk();
    const [one, two] = [await file(), await file()];
    const headers = { "idempotency-key": "same-key" };

    const answers = [
      await reply(one, customer, "Hi.", headers),
      await reply(two, customer, "Hi.", headers),
      await reply(one, agent, "Hi.", headers),
    ];

    expect(answers.map((a) => [a.status, a.headers.get("idempotent-replayed")])).toEqual(Array(3).fill([201, null]));
    expect(await count("messages", "ticket_id = ?1", one)).toBe(3);
    expect(await count("messages", "ticket_id = ?1", two)).toBe(2);
  });
});
