import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { ADMIN, type ApiResult, api, billingTicket, count, newTenant, ORIGIN, technicalTicket } from "./helpers";

type Body = Record<string, unknown>;

const without = (body: Body, key: string): Body => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));
const withFields = (fields: Record<string, unknown>): Body => ({ ...technicalTicket, fields });

/** Every error a client sees has the same problem+json envelope, and never leaks internals. */
function expectProblem(res: ApiResult<Problem>, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.title).toBe("string");
  expect(typeof res.body.detail).toBe("string");
  expect(typeof res.body.code).toBe("string");
  if (code !== undefined) expect(res.body.code).toBe(code);
  const raw = JSON.stringify(res.body);
  expect(raw).not.toMatch(/\.ts:\d+|\bat \S+ \(|node_modules|stack/i);
}

const paths = (res: ApiResult<Problem>): string[] => (res.body.errors ?? []).map((e) => e.path);

async function rowsOf(tenantId: string): Promise<[number, number, number]> {
  return [
    await count("tickets", "tenant_id = ?1", tenantId),
    await count("messages", "tenant_id = ?1", tenantId),
    await count("ticket_history", "tenant_id = ?1", tenantId),
  ];
}

describe("filing a ticket with bad fields", async () => {
  const t = await newTenant();
  const customer = await t.token();

  const refused: [string, Body, string][] = [
    ["an unknown department", { ...technicalTicket, department: "catering" }, "department"],
    ["a missing subject", without(technicalTicket, "subject"), "subject"],
    ["an empty subject", { ...technicalTicket, subject: "" }, "subject"],
    ["a subject of only spaces", { ...technicalTicket, subject: "     " }, "subject"],
    ["a subject shorter than 3 characters", { ...technicalTicket, subject: "Hi" }, "subject"],
    ["a subject longer than 200 characters", { ...technicalTicket, subject: "x".repeat(201) }, "subject"],
    ["a subject that is a number", { ...technicalTicket, subject: 500 }, "subject"],
    ["a subject with a NUL character", { ...technicalTicket, subject: "Broken\u0000site" }, "subject"],
    ["a subject with an escape sequence", { ...technicalTicket, subject: "Broken \u001b[31msite" }, "subject"],
    ["a missing message", without(technicalTicket, "message"), "message"],
    ["an empty message", { ...technicalTicket, message: "" }, "message"],
    ["a message longer than 20000 characters", { ...technicalTicket, message: "y".repeat(20_001) }, "message"],
    ["priority critical", { ...technicalTicket, priority: "critical" }, "priority"],
    ["a service that is not among the token's", { ...technicalTicket, serviceId: "svc-someone-else" }, "serviceId"],
    ["a host that is not a host", withFields({ host: "not a host!", remote_assistance: true }), "fields.host"],
    ["an IPv4 address out of range", withFields({ host: "999.1.1.1", remote_assistance: true }), "fields.host"],
    ["no host", withFields({ remote_assistance: true }), "fields.host"],
    ["no Remote Assistance answer", withFields({ host: "example.com" }), "fields.remote_assistance"],
    [
      "Remote Assistance as the string yes",
      withFields({ host: "example.com", remote_assistance: "yes" }),
      "fields.remote_assistance",
    ],
    [
      "a field of another department (host on billing)",
      { ...billingTicket, fields: { host: "example.com" } },
      "fields.host",
    ],
    ["a sensitive value longer than 4000 characters", { ...technicalTicket, sensitive: "p".repeat(4001) }, "sensitive"],
    [
      "a guest block from a signed-in user",
      { ...technicalTicket, guest: { name: "Eve", email: "eve@example.com" } },
      "guest",
    ],
  ];

  it.each(refused)("refuses %s with 400 validation_failed at the field, writing nothing", async (_, body, path) => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, { token: customer, body });
    expectProblem(res, 400, "validation_failed");
    expect(paths(res)).toContain(path);
    expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
  });

  it("explains why Remote Assistance must be enabled when it is answered no", async () => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: withFields({ host: "example.com", remote_assistance: false }),
    });
    expectProblem(res, 400, "validation_failed");
    const error = res.body.errors?.find((e) => e.path === "fields.remote_assistance");
    expect(error?.message).toMatch(/root password/i);
    expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
  });

  it.each(["requester", "status", "assignee", "tenantId", "number"])(
    "refuses the unknown key %s (mass assignment) by name, writing nothing",
    async (key) => {
      const value = key === "number" ? 1 : key === "requester" ? { id: "mallory" } : "x";
      const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
        token: customer,
        body: { ...technicalTicket, [key]: value },
      });
      expectProblem(res, 400, "validation_failed");
      expect(res.body.errors).toContainEqual({ path: key, message: "is not a field you can set" });
      expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
    },
  );

  it("lists every bad field at once", async () => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token: customer,
      body: { ...technicalTicket, subject: "", message: "", priority: "critical" },
    });
    expectProblem(res, 400, "validation_failed");
    expect(paths(res)).toEqual(expect.arrayContaining(["subject", "message", "priority"]));
  });
});

describe("a subject with a line break", async () => {
  // Its own tenant: if this is accepted, the stray ticket must not spoil the counts above.
  const t = await newTenant();
  const customer = await t.token();

  it.each(["Broken site\r\nBcc: all@example.com", "Broken site\nsecond line"])(
    "refuses the one-line subject %j (it goes into email subjects) with 400, writing nothing",
    async (subject) => {
      const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
        token: customer,
        body: { ...technicalTicket, subject },
      });
      expectProblem(res, 400, "validation_failed");
      expect(paths(res)).toContain("subject");
      expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
    },
  );
});

describe("bodies that are not a ticket at all", async () => {
  const t = await newTenant();
  const customer = await t.token();
  type Request = { rawBody?: string; body?: unknown; headers?: Record<string, string> };
  const create = (options: Request) => api<Problem>("POST", `/api/v1/${t.id}/tickets`, { token: customer, ...options });
  const malformed: Request = { rawBody: '{"department": "technical", ' };
  const array: Request = { body: [technicalTicket] };
  const textPlain: Request = { rawBody: JSON.stringify(technicalTicket), headers: { "content-type": "text/plain" } };
  const tooLarge: Request = { body: { ...technicalTicket, message: "z".repeat(70 * 1024) } };

  it("answers malformed JSON with 400 malformed_json", async () => {
    expectProblem(await create(malformed), 400, "malformed_json");
  });

  it("answers a JSON array with 400", async () => {
    expectProblem(await create(array), 400);
  });

  it("answers a text/plain body with 415 unsupported_media_type", async () => {
    expectProblem(await create(textPlain), 415, "unsupported_media_type");
  });

  it("answers a body over 64 KiB with 413 payload_too_large", async () => {
    expectProblem(await create(tooLarge), 413, "payload_too_large");
  });

  it("writes nothing for any of them", async () => {
    for (const request of [malformed, array, textPlain, tooLarge])
      expect((await create(request)).status).toBeGreaterThanOrEqual(400);
    expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
  });
});

describe("replying with bad input", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  const ticketId = created.body.ticket.id;

  it.each<[string, Body, string]>([
    ["an empty body", { body: "" }, "body"],
    ["a body of only spaces", { body: "     " }, "body"],
    ["internal as the string yes", { body: "Thanks", internal: "yes" }, "internal"],
    ["an unknown key", { body: "Thanks", assignee: "mallory" }, "assignee"],
  ])("refuses %s with 400 at the field and adds no message", async (_, body, path) => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, { token: customer, body });
    expectProblem(res, 400, "validation_failed");
    expect(paths(res)).toContain(path);
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(1);
    expect(await count("ticket_history", "ticket_id = ?1", ticketId)).toBe(1);
  });
});

describe("changing a ticket with bad input", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const agent = await t.token(staff("bob", "Bob Agent"));
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  const ticketId = created.body.ticket.id;

  it.each<[string, Body, string]>([
    ["an unknown status", { status: "done" }, "status"],
    ["nothing to change", {}, "(body)"],
    ["an unknown department", { department: "catering" }, "department"],
  ])("refuses %s with 400 and records no history", async (_, body, path) => {
    const res = await api<Problem>("PATCH", `/api/v1/${t.id}/tickets/${ticketId}`, { token: agent, body });
    expectProblem(res, 400, "validation_failed");
    expect(paths(res)).toContain(path);
    expect(await count("ticket_history", "ticket_id = ?1", ticketId)).toBe(1);
    const seen = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token: agent });
    expect(seen.body.ticket).toMatchObject({ status: "open", department: "technical" });
  });
});

describe("listing with a bad query", async () => {
  const t = await newTenant();
  const customer = await t.token();

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["status=bogus", "status"],
    ["status=open,bogus", "status"],
    ["cursor=garbage", "cursor"],
  ])("refuses ?%s with 400 at %s", async (query, path) => {
    const res = await api<Problem>("GET", `/api/v1/${t.id}/tickets?${query}`, { token: customer });
    expectProblem(res, 400, "validation_failed");
    expect(paths(res)).toContain(path);
  });
});

describe("valid edge cases", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const create = (body: Body) =>
    api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: customer, body });

  it("accepts an IPv6 host", async () => {
    const res = await create(withFields({ host: "2001:db8::1", remote_assistance: true }));
    expect(res.status).toBe(201);
    expect(res.body.ticket.fields.host).toBe("2001:db8::1");
  });

  it("accepts a hostname with a trailing dot", async () => {
    const res = await create(withFields({ host: "example.com.", remote_assistance: true }));
    expect(res.status).toBe(201);
    expect(res.body.ticket.fields.host).toBe("example.com.");
  });

  it.each([3, 200])("accepts a subject of exactly %i characters", async (length) => {
    const subject = "s".repeat(length);
    const res = await create({ ...technicalTicket, subject });
    expect(res.status).toBe(201);
    expect(res.body.ticket.subject).toBe(subject);
  });

  it("stores one ticket, one message and one history row per accepted request", async () => {
    const before = await rowsOf(t.id);
    expect((await create(withFields({ host: "2001:db8::2", remote_assistance: true }))).status).toBe(201);
    expect((await create({ ...technicalTicket, subject: "abc" })).status).toBe(201);
    expect(await rowsOf(t.id)).toEqual(before.map((n) => n + 2));
  });
});

describe("a body over the JSON limit, on every route that takes JSON", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  const newTenantId = `t-never-${Date.now().toString(36)}`;
  const doc = (
    await api<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }>(
      "GET",
      "/api/v1/openapi.json",
    )
  ).body;
  const jsonRoutes = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.requestBody?.content["application/json"])
      .map(([method]) => [method.toUpperCase(), path] as const),
  );
  const tooBig = { body: "z".repeat(70 * 1024) };

  it("finds the nineteen routes that take JSON in the API description", () => {
    // Six of the customer API and the admin API; PATCH /agents/{id}; canned replies (POST, PUT);
    // escalate, PATCH /settings, POST /settings/openings and /settings/test-page; PUT
    // /status-notice and its webhook; webhook endpoints (add, rotate) in the admin API and in
    // the tenant's own settings.
    expect(jsonRoutes).toHaveLength(19);
  });

  it.each(jsonRoutes)("%s %s answers 413 payload_too_large and writes nothing", async (method, path) => {
    const admin = path.startsWith("/api/v1/admin/");
    const url = path
      .replace("{tenant}", t.id)
      .replace("{id}", admin ? newTenantId : created.body.ticket.id)
      .replace("{kid}", "k1");
    const before = await rowsOf(t.id);
    const res = await api<Problem>(method, url, {
      ...(admin ? { headers: ADMIN } : { token: customer, headers: { origin: ORIGIN } }),
      body: tooBig,
    });
    expectProblem(res, 413, "payload_too_large");
    // The widget can read the problem: it carries the tenant's CORS headers.
    if (!admin) expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(await rowsOf(t.id)).toEqual(before);
    expect(await count("tenants", "id = ?1", newTenantId)).toBe(0);
  });
});
