import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { api, billingTicket, count, newTenant } from "./helpers";

describe("Idempotency-Key on ticket creation", async () => {
  const t = await newTenant({ config: { guestsAllowed: true } });
  const alice = await t.token();
  const bob = await t.token({ sub: "bob", email: "bob@example.com", name: "Bob" });

  it("returns the same ticket for a retry, never a second one", async () => {
    const headers = { "idempotency-key": "retry-1" };
    const first = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      headers,
      body: billingTicket,
    });
    const again = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      headers,
      body: billingTicket,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.ticket.id).toBe(first.body.ticket.id);
    expect(again.body.ticket.number).toBe(first.body.ticket.number);
    expect(await count("tickets", "tenant_id = ?1 AND requester_id = 'alice'", t.id)).toBe(1);
    expect(await count("messages", "ticket_id = ?1", first.body.ticket.id)).toBe(1);
  });

  it("refuses the same key with a different body (422) and writes nothing", async () => {
    const headers = { "idempotency-key": "retry-2" };
    await api("POST", `/api/v1/${t.id}/tickets`, { token: alice, headers, body: billingTicket });
    const before = await count("tickets", "tenant_id = ?1", t.id);
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      headers,
      body: { ...billingTicket, subject: "Another thing" },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("idempotency_key_reused");
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(before);
  });

  it("scopes keys to the caller: two users with the same key get two tickets", async () => {
    const headers = { "idempotency-key": "same-key" };
    const a = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      headers,
      body: billingTicket,
    });
    const b = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: bob,
      headers,
      body: billingTicket,
    });
    expect(a.body.ticket.id).not.toBe(b.body.ticket.id);
  });

  it("hands a guest the same access key on a replay", async () => {
    const headers = { "idempotency-key": "guest-retry" };
    const body = { ...billingTicket, guest: { name: "Gail", email: "gail@example.org" } };
    const first = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { headers, body });
    const again = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { headers, body });
    expect(again.body.ticket.id).toBe(first.body.ticket.id);
    expect(again.body.accessKey).toBe(first.body.accessKey);
    expect(
      (await api("GET", `/api/v1/${t.id}/tickets/${first.body.ticket.id}`, { key: again.body.accessKey! })).status,
    ).toBe(200);
  });

  it("makes one ticket when the same key races itself", async () => {
    const headers = { "idempotency-key": "race" };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: bob, headers, body: billingTicket }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.ticket.id)).size).toBe(1);
  });

  it("refuses a malformed key", async () => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      headers: { "idempotency-key": "x".repeat(201) },
      body: billingTicket,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe("idempotency-key");
  });
});

describe("many customers at once", () => {
  it("200 concurrent creations give 200 tickets with 200 distinct numbers", async () => {
    const t = await newTenant();
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.token({ sub: `user-${i}`, email: `u${i}@example.com` })),
    );
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
          token: tokens[i % 20]!,
          body: { ...billingTicket, subject: `Question ${i}` },
        }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.ticket.number)).size).toBe(200);
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(200);
  }, 60_000);
});
