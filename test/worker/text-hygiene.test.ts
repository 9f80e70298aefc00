import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { addAgent } from "./console-helpers";
import { ADMIN, type ApiResult, api, count, newTenant, technicalTicket } from "./helpers";

// Text hygiene (worker/schemas/text.ts): NFC, no lone surrogates, no control characters, no bidi
// controls in one-line fields, no prototype names as record keys.

function expectRefusedAt(res: ApiResult<Problem>, path: string, reason: RegExp): void {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe("validation_failed");
  expect(res.body.errors).toContainEqual({ path, message: expect.stringMatching(reason) });
}

const CONTROLS = /control characters/;
const SINGLE_LINE = /single line/;
const SURROGATE = /lone surrogate/;
const RESERVED = /reserved name/;

const rowsOf = async (tenantId: string) => [
  await count("tickets", "tenant_id = ?1", tenantId),
  await count("messages", "tenant_id = ?1", tenantId),
  await count("ticket_history", "tenant_id = ?1", tenantId),
];

describe("free text in a new ticket", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const create = (body: unknown) =>
    api<Problem & CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: customer, body });
  const createRaw = (rawBody: string) => api<Problem>("POST", `/api/v1/${t.id}/tickets`, { token: customer, rawBody });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a subject with NUL", { subject: "a\u0000b site" }, "subject", CONTROLS],
    ["a subject with a bell and an escape sequence", { subject: "\u0007\u001b[31mred" }, "subject", CONTROLS],
    ["a subject with a header break", { subject: "x\r\nBcc: all@example.com" }, "subject", SINGLE_LINE],
    ["a subject with a C1 control", { subject: "Broken \u009b site" }, "subject", CONTROLS],
    ["a subject with a lone high surrogate", { subject: "Broken \ud800 site" }, "subject", SURROGATE],
    ["a subject with a lone low surrogate", { subject: "Broken \udc00 site" }, "subject", SURROGATE],
    ["a message with NUL", { message: "a\u0000b" }, "message", CONTROLS],
    ["a message with an escape sequence", { message: "\u0007\u001b[31m" }, "message", CONTROLS],
    ["a message with a C1 control", { message: "next\u0085line" }, "message", CONTROLS],
    ["a message with a lone surrogate", { message: "emoji half \ud83d" }, "message", SURROGATE],
    [
      "a field value with NUL",
      { fields: { host: "example.com", remote_assistance: true, x: "a\u0000" } },
      "fields.x",
      CONTROLS,
    ],
  ])("refuses %s with 400 naming the field, writing nothing", async (_, change, path, reason) => {
    const res = await create({ ...technicalTicket, ...change });
    expectRefusedAt(res, path, reason);
    expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
  });

  it.each(["__proto__", "constructor", "prototype"])(
    "refuses fields with the key %s with 400 naming it, writing nothing",
    async (key) => {
      // Raw JSON: an object literal with __proto__ would set the prototype instead of sending the key.
      const fields = `{"host": "example.com", "remote_assistance": true, "${key}": {"isAdmin": true}}`;
      const { fields: _, ...rest } = technicalTicket;
      const res = await createRaw(`${JSON.stringify(rest).slice(0, -1)}, "fields": ${fields}}`);
      expectRefusedAt(res, `fields.${key}`, RESERVED);
      expect(await rowsOf(t.id)).toEqual([0, 0, 0]);
    },
  );

  it("removes bidi controls from the subject, so a file name reads as it is", async () => {
    const res = await create({ ...technicalTicket, subject: "\u202egnp.exe\u2066x\u2069 \u200eattached\u200f" });
    expect(res.status).toBe(201);
    expect(res.body.ticket.subject).toBe("gnp.exex attached");
  });

  it("keeps line breaks, tabs and bidi controls in a message, and stores text NFC-normalised", async () => {
    const message = "Line one\r\n\tindented\nשלום \u202bworld\u202c";
    const res = await create({ ...technicalTicket, subject: "Cafe\u0301 down", message });
    expect(res.status).toBe(201);
    expect(res.body.ticket.subject).toBe("Caf\u00e9 down");
    const detail = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${res.body.ticket.id}`, {
      token: customer,
    });
    expect(detail.body.ticket.messages[0]?.body).toBe(message);
  });
});

describe("free text from staff and in replies", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const agent = await t.token({ sub: "bob", name: "Bob Agent", email: "bob@host.example", role: "agent" });
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  const ticketId = created.body.ticket.id;

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["assignee a\\u0000b", { assignee: "a\u0000b" }, "assignee", CONTROLS],
    ["assignee \\u0007\\u001b[31m", { assignee: "\u0007\u001b[31m" }, "assignee", CONTROLS],
    ["assignee x\\r\\nBcc: …", { assignee: "x\r\nBcc: all@example.com" }, "assignee", SINGLE_LINE],
    ["an assignee with a lone surrogate", { assignee: "Bob \udbff" }, "assignee", SURROGATE],
    ["a reason with an escape sequence", { status: "on_hold", reason: "\u001b[2Jwiped" }, "reason", CONTROLS],
  ])("refuses %s with 400 naming the field, changing nothing", async (_, body, path, reason) => {
    const res = await api<Problem>("PATCH", `/api/v1/${t.id}/tickets/${ticketId}`, { token: agent, body });
    expectRefusedAt(res, path, reason);
    expect(await count("ticket_history", "ticket_id = ?1", ticketId)).toBe(1);
    const seen = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticketId}`, { token: agent });
    expect(seen.body.ticket).toMatchObject({ assignee: null, status: "open" });
  });

  it("removes bidi controls from an assignee before looking the agent up", async () => {
    await addAgent(t.id, { sub: "bob", name: "Bob Agent", email: "bob@host.example", role: "agent" });
    const res = await api<TicketDetailResponse>("PATCH", `/api/v1/${t.id}/tickets/${ticketId}`, {
      token: agent,
      body: { assignee: "\u202ebob\u202c" },
    });
    expect(res.status).toBe(200);
    expect(res.body.ticket.assignee).toBe("bob");
  });

  it.each<[string, string, RegExp]>([
    ["NUL", "a\u0000b", CONTROLS],
    ["an escape sequence", "\u0007\u001b[31m", CONTROLS],
    ["a lone surrogate", "thanks \udc01", SURROGATE],
  ])("refuses a reply with %s with 400 at body, adding no message", async (_, body, reason) => {
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
      token: customer,
      body: { body },
    });
    expectRefusedAt(res, "body", reason);
    expect(await count("messages", "ticket_id = ?1", ticketId)).toBe(1);
  });
});

describe("free text in a tenant's configuration", () => {
  const put = (id: string, body: unknown) =>
    api<Problem>("PUT", `/api/v1/admin/tenants/${id}`, { headers: ADMIN, body });
  const department = { id: "technical", name: "Technical", fields: [] };

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a name with an escape sequence", { name: "\u001b[31mNorthwind" }, "name", CONTROLS],
    ["a name with a line break", { name: "North\nwind" }, "name", SINGLE_LINE],
    ["a name with a lone surrogate", { name: "North\ud800wind" }, "name", SURROGATE],
    [
      "a department name with NUL",
      { name: "Northwind", config: { departments: [{ ...department, name: "Tech\u0000" }] } },
      "config.departments.0.name",
      CONTROLS,
    ],
    [
      "a department description with a C1 control",
      { name: "Northwind", config: { departments: [{ ...department, description: "x\u0090y" }] } },
      "config.departments.0.description",
      CONTROLS,
    ],
    [
      "a guidance line with an escape sequence",
      { name: "Northwind", config: { guidance: { qualifies: ["\u001b[1mbold"] } } },
      "config.guidance.qualifies.0",
      CONTROLS,
    ],
  ])("refuses %s with 400 naming the field, creating no tenant", async (_, body, path, reason) => {
    const id = `hygiene-${crypto.randomUUID().slice(0, 8)}`;
    expectRefusedAt(await put(id, body), path, reason);
    expect(await count("tenants", "id = ?1", id)).toBe(0);
  });

  it("refuses departmentsByAddress with the key __proto__, creating no tenant", async () => {
    const id = `hygiene-${crypto.randomUUID().slice(0, 8)}`;
    const res = await api<Problem>("PUT", `/api/v1/admin/tenants/${id}`, {
      headers: ADMIN,
      rawBody: '{"name": "Northwind", "config": {"email": {"departmentsByAddress": {"__proto__": "billing"}}}}',
    });
    expectRefusedAt(res, "config.email.departmentsByAddress.__proto__", RESERVED);
    expect(await count("tenants", "id = ?1", id)).toBe(0);
  });

  it("removes bidi controls from a tenant's name", async () => {
    const id = `hygiene-${crypto.randomUUID().slice(0, 8)}`;
    const res = await api<{ tenant: { name: string } }>("PUT", `/api/v1/admin/tenants/${id}`, {
      headers: ADMIN,
      body: { name: "\u2066Northwind\u2069 Hosting" },
    });
    expect(res.status).toBe(201);
    expect(res.body.tenant.name).toBe("Northwind Hosting");
  });
});
