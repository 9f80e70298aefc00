import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { api, count, newTenant, technicalTicket } from "./helpers";

const RUNS = 150;

/** Each property makes RUNS requests against local D1; give it room on a slow machine. */
const TIMEOUT = 30_000;

/** Any JSON value, including nested objects and arrays, as a client might send by mistake. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Objects that use the real field names of a new ticket, each filled with either a plausible or an arbitrary value. */
const ticketLike = fc.record(
  {
    department: fc.oneof(fc.constantFrom("technical", "billing", "abuse", ""), anyJson),
    subject: fc.oneof(fc.string({ maxLength: 210 }), anyJson),
    message: fc.oneof(fc.string({ maxLength: 50 }), anyJson),
    priority: fc.oneof(fc.constantFrom("information", "low", "medium", "high", "urgent", "critical"), anyJson),
    serviceId: fc.oneof(fc.constantFrom("svc-1", "svc-2"), anyJson),
    fields: fc.oneof(
      fc.record(
        {
          host: fc.oneof(fc.constantFrom("example.com", "203.0.113.10", "2001:db8::1", "999.1.1.1"), anyJson),
          remote_assistance: fc.oneof(fc.boolean(), anyJson),
        },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
    sensitive: fc.oneof(fc.string({ maxLength: 20 }), anyJson),
    guest: fc.oneof(fc.record({ name: fc.string(), email: fc.constantFrom("eve@example.com", "nope") }), anyJson),
    status: anyJson,
    requester: anyJson,
  },
  { requiredKeys: [] },
);

function expectWellFormed(status: number, headers: Headers, body: unknown): void {
  expect(status).toBeLessThan(500);
  if (status >= 400) {
    expect(headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = body as Problem;
    expect(problem.status).toBe(status);
    expect(typeof problem.code).toBe("string");
  }
}

describe("the create route never breaks, whatever JSON it is sent", async () => {
  const t = await newTenant();
  const customer = await t.token();

  const rows = async () =>
    [await count("tickets", "tenant_id = ?1", t.id), await count("messages", "tenant_id = ?1", t.id)] as const;

  // Rows this tenant should hold: one ticket and one message per accepted request, none otherwise.
  let accepted = 0;
  async function check(payload: { body?: unknown; rawBody?: string }): Promise<void> {
    const res = await api<unknown>("POST", `/api/v1/${t.id}/tickets`, { token: customer, ...payload });
    expectWellFormed(res.status, res.headers, res.body);
    if (res.status === 201) accepted++;
    expect(await rows()).toEqual([accepted, accepted]);
  }

  it(
    "answers arbitrary JSON values below 500, as problem+json, writing nothing when refused",
    async () => {
      await fc.assert(
        fc.asyncProperty(anyJson, (body) => check({ body })),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "answers ticket-shaped objects with arbitrary values below 500, writing exactly one ticket only when accepted",
    async () => {
      await fc.assert(
        fc.asyncProperty(ticketLike, (body) => check({ body })),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "answers arbitrary text sent as JSON below 500",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 200 }), (rawBody) => check({ rawBody })),
        { numRuns: 50 },
      );
    },
    TIMEOUT,
  );
});

describe("the reply route never breaks, whatever JSON it is sent", async () => {
  const t = await newTenant();
  const customer = await t.token();
  const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: customer,
    body: technicalTicket,
  });
  const ticketId = created.body.ticket.id;
  const messages = () => count("messages", "ticket_id = ?1", ticketId);

  // The ticket's first message, plus one per accepted reply.
  let expected = 1;
  async function check(body: unknown): Promise<void> {
    const res = await api<unknown>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, { token: customer, body });
    expectWellFormed(res.status, res.headers, res.body);
    if (res.status === 201) expected++;
    expect(await messages()).toBe(expected);
  }

  const replyLike = fc.record(
    {
      body: fc.oneof(fc.string({ maxLength: 40 }), anyJson),
      internal: fc.oneof(fc.boolean(), anyJson),
      extra: anyJson,
    },
    { requiredKeys: [] },
  );

  it(
    "answers arbitrary JSON values below 500, as problem+json, adding no message when refused",
    async () => {
      await fc.assert(fc.asyncProperty(anyJson, check), { numRuns: RUNS });
    },
    TIMEOUT,
  );

  it(
    "answers reply-shaped objects with arbitrary values below 500, adding a message only when accepted",
    async () => {
      await fc.assert(fc.asyncProperty(replyLike, check), { numRuns: RUNS });
    },
    TIMEOUT,
  );
});
