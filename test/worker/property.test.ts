import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { api, count, newTenant, technicalTicket } from "./helpers";

const RUNS = 150;
/** Runs of the shaped properties, about half of them valid: each branch must run at least MIN_BRANCH times. */
const SHAPED_RUNS = 400;
const MIN_BRANCH = 100;

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

/** One line of printable text that passes the subject's rules (3 to 200 characters once trimmed). */
const subjectText = fc.string({ minLength: 3, maxLength: 200 }).filter((s) => s.trim().length >= 3);

/** Text the hygiene rules accept: printable ASCII, accented letters, emoji, line breaks and tabs. */
const messageText = fc
  .array(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom("\n", "\t", "\r\n", "é", "e\u0301", "日本", "🙂"),
    ),
    {
      minLength: 1,
      maxLength: 20,
    },
  )
  .map((parts) => parts.join(""))
  .filter((s) => s.trim().length >= 1);

/** Text that breaks a rule: a control character, a lone surrogate, or a line break in a one-line field. */
const brokenText = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom("\u0000", "\u0007", "\u001b[31m", "\u0085", "\ud800", "\udc00", "\u009b"),
  )
  .map(([text, bad]) => `${text}${bad}${text}`);

/** New tickets the tenant accepts: billing with no fields, or technical with its two required fields. */
const validTicket = fc
  .record(
    {
      department: fc.constantFrom("technical", "billing"),
      subject: subjectText,
      message: messageText,
      priority: fc.constantFrom("information", "low", "medium", "high", "urgent"),
      serviceId: fc.constant("svc-1"),
    },
    { requiredKeys: ["department", "subject", "message"] },
  )
  .chain((ticket) =>
    ticket.department === "billing"
      ? fc.constant(ticket)
      : fc
          .constantFrom("example.com", "203.0.113.10", "2001:db8::1", "mail.example.org.")
          .map((host) => ({ ...ticket, fields: { host, remote_assistance: true } })),
  );

/** A valid ticket with one part broken: refused, whichever part it is. */
const brokenTicket = fc.oneof(
  validTicket.chain((t) => brokenText.map((subject) => ({ ...t, subject }))),
  validTicket.chain((t) => brokenText.map((message) => ({ ...t, message }))),
  validTicket.map((t) => ({ ...t, subject: `${t.subject}\nBcc: all@example.com` })),
  validTicket.map((t) => ({ ...t, priority: "critical" })),
  validTicket.map((t) => ({ ...t, department: "catering" })),
  validTicket.map((t) => ({ ...t, requester: "mallory" })),
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
  let refused = 0;
  async function check(payload: { body?: unknown; rawBody?: string }): Promise<void> {
    const res = await api<unknown>("POST", `/api/v1/${t.id}/tickets`, { token: customer, ...payload });
    expectWellFormed(res.status, res.headers, res.body);
    if (res.status === 201) accepted++;
    else refused++;
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
    "answers ticket-shaped objects below 500, writing exactly one ticket when accepted and none when refused, hundreds of each",
    async () => {
      const [acceptedBefore, refusedBefore] = [accepted, refused];
      await fc.assert(
        fc.asyncProperty(fc.oneof(validTicket, brokenTicket, ticketLike), (body) => check({ body })),
        { numRuns: SHAPED_RUNS },
      );
      // Both halves of the property ran: valid bodies were accepted, broken ones refused.
      expect(accepted - acceptedBefore).toBeGreaterThanOrEqual(MIN_BRANCH);
      expect(refused - refusedBefore).toBeGreaterThanOrEqual(MIN_BRANCH);
    },
    TIMEOUT * 2,
  );

  it(
    "accepts every valid ticket and refuses every broken one",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), validTicket, brokenTicket, async (valid, good, bad) => {
          const res = await api<unknown>("POST", `/api/v1/${t.id}/tickets`, {
            token: customer,
            body: valid ? good : bad,
          });
          expect(res.status).toBe(valid ? 201 : 400);
          if (valid) accepted++;
          else refused++;
          expect(await rows()).toEqual([accepted, accepted]);
        }),
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
  let refused = 0;
  async function check(body: unknown): Promise<void> {
    const res = await api<unknown>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, { token: customer, body });
    expectWellFormed(res.status, res.headers, res.body);
    if (res.status === 201) expected++;
    else refused++;
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
    "answers reply-shaped objects below 500, adding a message only when accepted, hundreds of each",
    async () => {
      const [acceptedBefore, refusedBefore] = [expected, refused];
      const validReply = fc.record({ body: messageText }, { requiredKeys: ["body"] });
      const brokenReply = fc.oneof(
        brokenText.map((body) => ({ body })),
        messageText.map((body) => ({ body, internal: true })),
      );
      await fc.assert(fc.asyncProperty(fc.oneof(validReply, brokenReply, replyLike), check), {
        numRuns: SHAPED_RUNS,
      });
      expect(expected - acceptedBefore).toBeGreaterThanOrEqual(MIN_BRANCH);
      expect(refused - refusedBefore).toBeGreaterThanOrEqual(MIN_BRANCH);
    },
    TIMEOUT * 2,
  );
});
