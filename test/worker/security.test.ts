import { describe, expect, it } from "vitest";
import { base64url, utf8 } from "../../worker/auth/encoding";
import { signEmbedToken } from "../../worker/auth/token";
import type { Problem } from "../../worker/errors";
import type {
  CreateTicketResponse,
  ReplyResponse,
  RevealResponse,
  TicketDetailResponse,
  TicketListResponse,
} from "../../worker/schemas/ticket";
import { api, billingTicket, count, newTenant, technicalTicket, tokenFor } from "./helpers";

const now = () => Math.floor(Date.now() / 1000);

describe("tokens", async () => {
  const t = await newTenant();
  const other = await newTenant();
  const unsigned = (claims: object) =>
    `${base64url(utf8(JSON.stringify({ alg: "none", typ: "JWT" })))}.${base64url(utf8(JSON.stringify(claims)))}.`;
  const base = {
    iss: t.id,
    aud: "edgedesk",
    sub: "alice",
    email: "alice@example.com",
    name: "Alice",
    role: "customer",
    exp: now() + 600,
  };

  const refused: [string, () => Promise<string>][] = [
    ["expired beyond the 60 s skew", () => t.token({ exp: now() - 120, iat: now() - 900 })],
    ["issued in the future", () => t.token({ iat: now() + 600, exp: now() + 1200 })],
    ["not valid yet (nbf)", () => signEmbedToken({ ...base, nbf: now() + 600 }, { kid: "k1", secret: t.secret })],
    ["for another audience", () => t.token({ aud: "someone-else" })],
    ["for another tenant (iss)", () => t.token({ iss: other.id })],
    ["signed with another tenant's secret", () => tokenFor(t.id, other.secret)],
    [
      "with a tampered payload",
      async () => {
        const [h, , s] = (await t.token()).split(".");
        return `${h}.${base64url(utf8(JSON.stringify({ ...base, role: "admin" })))}.${s}`;
      },
    ],
    ["with alg none", async () => unsigned(base)],
    [
      "with alg HS512 in the header",
      async () => {
        const [, p, s] = (await t.token()).split(".");
        return `${base64url(utf8(JSON.stringify({ alg: "HS512", typ: "JWT", kid: "k1" })))}.${p}.${s}`;
      },
    ],
    ["with an unknown kid", () => tokenFor(t.id, t.secret, {}, "nope")],
    ["without exp", () => signEmbedToken({ ...base, exp: undefined }, { kid: "k1", secret: t.secret })],
    ["living longer than a day", () => t.token({ exp: now() + 3 * 24 * 3600 })],
    ["with a bad role", () => t.token({ role: "root" as "admin" })],
    ["that is not a JWT at all", async () => "garbage"],
  ];

  it.each(refused)("refuses a token %s with 401 problem+json", async (_, make) => {
    const res = await api<Problem>("GET", `/api/v1/${t.id}/tickets`, { token: await make() });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("unauthorized");
  });

  it("accepts a token that expired less than 60 s ago (clock skew)", async () => {
    const res = await api("GET", `/api/v1/${t.id}/tickets`, {
      token: await t.token({ exp: now() - 30, iat: now() - 600 }),
    });
    expect(res.status).toBe(200);
  });

  it("refuses a malformed Authorization header and a missing one", async () => {
    expect((await api("GET", `/api/v1/${t.id}/tickets`, { headers: { authorization: "Basic abc" } })).status).toBe(401);
    expect((await api("GET", `/api/v1/${t.id}/tickets`)).status).toBe(401);
  });

  it("does not create a ticket with a refused token", async () => {
    const before = await count("tickets", "tenant_id = ?1", t.id);
    const res = await api("POST", `/api/v1/${t.id}/tickets`, { token: unsigned(base), body: billingTicket });
    expect(res.status).toBe(401);
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(before);
  });
});

describe("someone else's ticket is a 404, on every route", async () => {
  const t = await newTenant();
  const other = await newTenant();
  const alice = await t.token();
  const mallory = await t.token({ sub: "mallory", email: "m@example.com", name: "Mallory" });
  const outsider = await other.token({ role: "agent", sub: "eve", name: "Eve" });
  const agent = await t.token({ sub: "bob", role: "agent", name: "Bob" });
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: alice,
    body: technicalTicket,
  });
  const id = created.body.ticket.id;
  const reply = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${id}/messages`, {
    token: agent,
    body: { body: "Fixed." },
  });
  const messageId = reply.body.message.id;

  const routes: [string, string, (tenant: string) => string, unknown][] = [
    ["read", "GET", (tn) => `/api/v1/${tn}/tickets/${id}`, undefined],
    ["reply", "POST", (tn) => `/api/v1/${tn}/tickets/${id}/messages`, { body: "hello" }],
    ["change", "PATCH", (tn) => `/api/v1/${tn}/tickets/${id}`, { status: "closed" }],
    ["reveal sensitive", "POST", (tn) => `/api/v1/${tn}/tickets/${id}/sensitive/reveal`, undefined],
    ["vote", "POST", (tn) => `/api/v1/${tn}/messages/${messageId}/feedback`, { helpful: true }],
  ];

  it.each(routes)("%s: another customer of the same tenant gets 404", async (_, method, path, body) => {
    const res = await api<Problem>(method, path(t.id), { token: mallory, body });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });

  it.each(routes)("%s: staff of another tenant get 404 through their own tenant", async (_, method, path, body) => {
    const res = await api<Problem>(method, path(other.id), { token: outsider, body });
    expect(res.status).toBe(404);
  });

  it.each(routes)("%s: another tenant's token on this tenant's path gets 401", async (_, method, path, body) => {
    const res = await api<Problem>(method, path(t.id), { token: outsider, body });
    expect(res.status).toBe(401);
  });

  it("leaves the ticket untouched after all those attempts", async () => {
    for (const [, method, path, body] of routes) {
      await api(method, path(t.id), { token: mallory, body });
      await api(method, path(other.id), { token: outsider, body });
      await api(method, path(t.id), { token: outsider, body });
    }
    const seen = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${id}`, { token: alice });
    expect(seen.body.ticket.status).toBe("answered");
    expect(seen.body.ticket.messages).toHaveLength(2);
    expect(await count("message_votes", "message_id = ?1", messageId)).toBe(0);
  });

  it("does not list another customer's tickets", async () => {
    const list = await api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets`, { token: mallory });
    expect(list.body.tickets).toEqual([]);
  });
});

describe("mass assignment", async () => {
  const t = await newTenant();
  const other = await newTenant();
  const alice = await t.token();

  it.each([
    ["requester", { id: "bob", name: "Bob", email: "b@example.com" }],
    ["status", "answered"],
    ["assignee", "bob"],
    ["tenantId", "other"],
    ["tenant", "other"],
  ])("a customer cannot set %s when filing", async (key, value) => {
    const before = await count("tickets", "tenant_id = ?1", t.id);
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: { ...billingTicket, [key]: value },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: key, message: "is not a field you can set" });
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(before);
  });

  it("files under the token's identity and tenant, whatever the body says", async () => {
    const res = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: billingTicket,
    });
    expect(res.body.ticket.requester).toMatchObject({ id: "alice", name: "Alice Customer" });
    expect(await count("tickets", "id = ?1 AND tenant_id = ?2", res.body.ticket.id, t.id)).toBe(1);
    expect(await count("tickets", "tenant_id = ?1", other.id)).toBe(0);
  });

  it.each([
    ["status answered", { status: "answered" }, "status"],
    ["status in_progress", { status: "in_progress" }, "status"],
    ["assignee", { assignee: "alice" }, "assignee"],
    ["priority", { priority: "urgent" }, "priority"],
    ["department", { department: "abuse" }, "department"],
  ])("a customer cannot change %s of their own ticket (403)", async (_, patch, path) => {
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: billingTicket,
    });
    const res = await api<Problem>("PATCH", `/api/v1/${t.id}/tickets/${created.body.ticket.id}`, {
      token: alice,
      body: patch,
    });
    expect(res.status).toBe(403);
    expect(res.body.errors?.map((e) => e.path)).toContain(path);
    const after = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${created.body.ticket.id}`, {
      token: alice,
    });
    expect(after.body.ticket.status).toBe("open");
    expect(after.body.ticket.assignee).toBeNull();
  });

  it("a customer cannot write an internal note", async () => {
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: billingTicket,
    });
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets/${created.body.ticket.id}/messages`, {
      token: alice,
      body: { body: "psst", internal: true },
    });
    expect(res.status).toBe(403);
    expect(await count("messages", "ticket_id = ?1", created.body.ticket.id)).toBe(1);
  });
});

describe("guests", async () => {
  const t = await newTenant({ config: { guestsAllowed: true } });
  const closedDesk = await newTenant();
  const guest = { name: "Gail Guest", email: "gail@example.org" };

  it("files with name and email and gets an access key that opens that ticket only", async () => {
    const a = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { body: { ...billingTicket, guest } });
    const b = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { body: { ...billingTicket, guest } });
    expect(a.status).toBe(201);
    expect(a.body.accessKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.body.ticket.requester.name).toBe("Gail Guest");
    const key = a.body.accessKey!;

    expect((await api("GET", `/api/v1/${t.id}/tickets/${a.body.ticket.id}`, { key })).status).toBe(200);
    expect(
      (await api("POST", `/api/v1/${t.id}/tickets/${a.body.ticket.id}/messages`, { key, body: { body: "Any news?" } }))
        .status,
    ).toBe(201);
    // The same key does not open the guest's other ticket, nor any other.
    expect((await api("GET", `/api/v1/${t.id}/tickets/${b.body.ticket.id}`, { key })).status).toBe(404);
    expect(
      (await api("POST", `/api/v1/${t.id}/tickets/${b.body.ticket.id}/messages`, { key, body: { body: "x" } })).status,
    ).toBe(404);
    const list = await api<TicketListResponse>("GET", `/api/v1/${t.id}/tickets`, { key });
    expect(list.body.tickets.map((x) => x.id)).toEqual([a.body.ticket.id]);
    // A key cannot file new tickets, and only its hash is stored.
    expect((await api("POST", `/api/v1/${t.id}/tickets`, { key, body: billingTicket })).status).toBe(403);
    expect(await count("tickets", "guest_key_hash = ?1", key)).toBe(0);
  });

  it("refuses a wrong key, and a key on another tenant's path", async () => {
    const a = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { body: { ...billingTicket, guest } });
    expect((await api("GET", `/api/v1/${t.id}/tickets/${a.body.ticket.id}`, { key: "x".repeat(43) })).status).toBe(401);
    expect(
      (await api("GET", `/api/v1/${closedDesk.id}/tickets/${a.body.ticket.id}`, { key: a.body.accessKey! })).status,
    ).toBe(401);
  });

  it("is refused where the tenant does not take guests, and without a guest block", async () => {
    const before = await count("tickets", "tenant_id = ?1", closedDesk.id);
    const refused = await api<Problem>("POST", `/api/v1/${closedDesk.id}/tickets`, {
      body: { ...billingTicket, guest },
    });
    expect(refused.status).toBe(403);
    const anonymous = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, { body: billingTicket });
    expect(anonymous.status).toBe(401);
    expect(await count("tickets", "tenant_id = ?1", closedDesk.id)).toBe(before);
  });
});

describe("the sensitive field", async () => {
  const t = await newTenant();
  const alice = await t.token();
  const agent = await t.token({ sub: "bob", role: "agent", name: "Bob" });

  it("is encrypted at rest, never returned to the customer, and readable by staff", async () => {
    const secret = "root password: hunter2-correct-horse";
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: { ...technicalTicket, sensitive: secret },
    });
    expect(created.status).toBe(201);
    expect(created.body.ticket.hasSensitive).toBe(true);
    expect(JSON.stringify(created.body)).not.toContain("hunter2");
    const id = created.body.ticket.id;
    expect(await count("tickets", "id = ?1 AND sensitive LIKE '%hunter2%'", id)).toBe(0);
    const own = await api("GET", `/api/v1/${t.id}/tickets/${id}`, { token: alice });
    expect(JSON.stringify(own.body)).not.toContain("hunter2");
    // Customers learn nothing of the console's routes: 404, as for any address that is not theirs.
    expect((await api("POST", `/api/v1/${t.id}/tickets/${id}/sensitive/reveal`, { token: alice })).status).toBe(404);
    const revealed = await api<RevealResponse>("POST", `/api/v1/${t.id}/tickets/${id}/sensitive/reveal`, {
      token: agent,
    });
    expect(revealed.body.sensitive).toBe(secret);
    expect(revealed.headers.get("cache-control")).toBe("no-store");
  });
});
