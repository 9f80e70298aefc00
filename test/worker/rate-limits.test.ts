import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import worker from "../../worker/index";
import { type RateLimits, RateLimits as RateLimitsSchema } from "../../worker/schemas/limits";
import type { CreateTicketResponse, UploadView } from "../../worker/schemas/ticket";
import { api, billingTicket, count, newTenant, queued } from "./helpers";

/**
 * Rate limits through Cloudflare's Rate Limiting binding, as miniflare simulates it: fixed windows
 * of real time (10 or 60 s) per key, so each test has its own tenant, and only one waits a window out.
 */

const fileAs = (tenantId: string, auth: { token?: string; ip?: string }, body: unknown = billingTicket) =>
  api<CreateTicketResponse & Problem>("POST", `/api/v1/${tenantId}/tickets`, {
    ...(auth.token && { token: auth.token }),
    ...(auth.ip && { headers: { "cf-connecting-ip": auth.ip } }),
    body,
  });

async function expectRefused(res: { status: number; headers: Headers; body: unknown }, retryAfter: string) {
  expect(res.status).toBe(429);
  expect(res.headers.get("retry-after")).toBe(retryAfter);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect((res.body as Problem).code).toBe("rate_limited");
}

function upload(tenantId: string, token: string, size: number, ip?: string) {
  const headers = new Headers({ authorization: `Bearer ${token}`, "content-length": String(size) });
  if (ip) headers.set("cf-connecting-ip", ip);
  return (async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`https://desk.example.com/api/v1/${tenantId}/uploads?name=server.log`, {
        method: "POST",
        headers,
        body: new TextEncoder().encode("x".repeat(size)),
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as { upload: UploadView } & Problem,
    };
  })();
}

describe("defaults", () => {
  it("gives every tenant sane limits when it sets none", () => {
    expect(RateLimitsSchema.parse({})).toEqual({
      ticketsPerIdentity: "10/min",
      ticketsPerIp: "30/min",
      guestTicketsPerIp: "5/min",
      repliesPerIdentity: "30/min",
      repliesPerIp: "100/min",
      uploadsPerIdentity: "30/min",
      uploadsPerIp: "100/min",
      wrongKeysPerIp: "10/min",
      mailPerSender: "10/min",
      pendingUploadBytes: 50 * 1024 * 1024,
    } satisfies RateLimits);
  });

  it("refuses an allowance that has no namespace", async () => {
    const res = await api<Problem>("PUT", "/api/v1/admin/tenants/limits-bad", {
      headers: { authorization: `Bearer ${env.ADMIN_SECRET}` },
      body: { name: "Bad limits", config: { limits: { ticketsPerIdentity: "7/min" } } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe("config.limits.ticketsPerIdentity");
  });
});

describe("filing tickets", () => {
  it("answers 429 with Retry-After past a person's limit, writing nothing, and leaves other people and tenants alone", async () => {
    const t = await newTenant({ config: { limits: { ticketsPerIdentity: "5/min" } } });
    const alice = await t.token();
    for (let i = 0; i < 5; i++) expect((await fileAs(t.id, { token: alice })).status).toBe(201);

    const refused = await fileAs(t.id, { token: alice });

    await expectRefused(refused, "60");
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(5);
    // Bob in the same tenant, and an Alice of another tenant, file as usual.
    expect((await fileAs(t.id, { token: await t.token({ sub: "bob", email: "bob@example.com" }) })).status).toBe(201);
    const other = await newTenant({ config: { limits: { ticketsPerIdentity: "5/min" } } });
    expect((await fileAs(other.id, { token: await other.token() })).status).toBe(201);
  });

  it("counts per client IP across people, and not where the edge gives no IP", async () => {
    const t = await newTenant({ config: { limits: { ticketsPerIp: "5/min" } } });
    const people = await Promise.all(
      Array.from({ length: 7 }, (_, i) => t.token({ sub: `user-${i}`, email: `u${i}@example.com` })),
    );
    for (let i = 0; i < 5; i++) expect((await fileAs(t.id, { token: people[i]!, ip: "203.0.113.7" })).status).toBe(201);

    await expectRefused(await fileAs(t.id, { token: people[5]!, ip: "203.0.113.7" }), "60");

    expect((await fileAs(t.id, { token: people[5]!, ip: "198.51.100.2" })).status).toBe(201);
    expect((await fileAs(t.id, { token: people[6]! })).status).toBe(201);
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(7);
  });

  it("limits guests filing without an account per client IP", async () => {
    const t = await newTenant({ config: { guestsAllowed: true, limits: { guestTicketsPerIp: "5/min" } } });
    const guest = (i: number) => ({ ...billingTicket, guest: { name: `Guest ${i}`, email: `g${i}@example.org` } });
    for (let i = 0; i < 5; i++) expect((await fileAs(t.id, { ip: "203.0.113.9" }, guest(i))).status).toBe(201);

    const refused = await fileAs(t.id, { ip: "203.0.113.9" }, guest(5));

    await expectRefused(refused, "60");
    expect(refused.body.accessKey).toBeUndefined();
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(5);
    expect((await fileAs(t.id, { ip: "198.51.100.3" }, guest(6))).status).toBe(201);
  });

  it("lets the next window through (waits out one 10-second window)", { timeout: 30_000 }, async () => {
    const t = await newTenant({ config: { limits: { ticketsPerIdentity: "5/10s" } } });
    const alice = await t.token();
    // The simulated limiter counts in windows of wall-clock time: start early in one, so all six fall in it.
    const intoWindow = Date.now() % 10_000;
    if (intoWindow > 5_000) await new Promise((r) => setTimeout(r, 10_000 - intoWindow + 50));
    for (let i = 0; i < 5; i++) expect((await fileAs(t.id, { token: alice })).status).toBe(201);
    const refused = await fileAs(t.id, { token: alice });
    await expectRefused(refused, "10");

    await new Promise((r) => setTimeout(r, 10_000 - (Date.now() % 10_000) + 50));

    expect((await fileAs(t.id, { token: alice })).status).toBe(201);
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(6);
  });
});

describe("replies", () => {
  it("answers 429 past a person's limit without adding a message; staff still answer", async () => {
    const t = await newTenant({ config: { limits: { repliesPerIdentity: "5/min" } } });
    const alice = await t.token();
    const agent = await t.token({ sub: "bob", email: "bob@host.example", role: "agent" });
    const ticket = (await fileAs(t.id, { token: alice })).body.ticket;
    const reply = (token: string) =>
      api<Problem>("POST", `/api/v1/${t.id}/tickets/${ticket.id}/messages`, { token, body: { body: "Any news?" } });
    for (let i = 0; i < 5; i++) expect((await reply(alice)).status).toBe(201);

    await expectRefused(await reply(alice), "60");

    expect(await count("messages", "ticket_id = ?1", ticket.id)).toBe(6);
    expect((await reply(agent)).status).toBe(201);
  });

  it("counts a guest's replies against the guest's key", async () => {
    const t = await newTenant({ config: { guestsAllowed: true, limits: { repliesPerIdentity: "5/min" } } });
    const filed = await fileAs(t.id, {}, { ...billingTicket, guest: { name: "Gail", email: "gail@example.org" } });
    const key = filed.body.accessKey!;
    const reply = () =>
      api<Problem>("POST", `/api/v1/${t.id}/tickets/${filed.body.ticket.id}/messages`, { key, body: { body: "Hi" } });
    for (let i = 0; i < 5; i++) expect((await reply()).status).toBe(201);
    await expectRefused(await reply(), "60");
    expect(await count("messages", "ticket_id = ?1", filed.body.ticket.id)).toBe(6);
  });
});

describe("guest keys", () => {
  it("answers wrong keys 401, then 429 past the limit per IP; a right key still opens its ticket", async () => {
    const t = await newTenant({ config: { guestsAllowed: true, limits: { wrongKeysPerIp: "5/min" } } });
    const filed = await fileAs(t.id, {}, { ...billingTicket, guest: { name: "Gail", email: "gail@example.org" } });
    const read = (key: string, ip: string) =>
      api<Problem>("GET", `/api/v1/${t.id}/tickets/${filed.body.ticket.id}`, {
        key,
        headers: { "cf-connecting-ip": ip },
      });
    for (let i = 0; i < 5; i++) expect((await read(`guess-${i}`, "203.0.113.5")).status).toBe(401);

    await expectRefused(await read("guess-5", "203.0.113.5"), "60");

    expect((await read("guess-6", "198.51.100.5")).status).toBe(401);
    expect((await read(filed.body.accessKey!, "203.0.113.5")).status).toBe(200);
  });
});

describe("uploads", () => {
  it("answers 429 past a person's limit and stores nothing", async () => {
    const t = await newTenant({ config: { limits: { uploadsPerIdentity: "5/min" } } });
    const alice = await t.token();
    for (let i = 0; i < 5; i++) expect((await upload(t.id, alice, 100)).status).toBe(201);

    await expectRefused(await upload(t.id, alice, 100), "60");

    expect(await count("attachments", "tenant_id = ?1", t.id)).toBe(5);
    expect((await upload(t.id, await t.token({ sub: "bob", email: "bob@example.com" }), 100)).status).toBe(201);
  });

  it("counts uploads per client IP", async () => {
    const t = await newTenant({ config: { limits: { uploadsPerIp: "5/min" } } });
    const alice = await t.token();
    const bob = await t.token({ sub: "bob", email: "bob@example.com" });
    for (let i = 0; i < 5; i++) expect((await upload(t.id, i % 2 ? alice : bob, 100, "203.0.113.8")).status).toBe(201);
    await expectRefused(await upload(t.id, alice, 100, "203.0.113.8"), "60");
    expect(await count("attachments", "tenant_id = ?1", t.id)).toBe(5);
  });

  it("refuses an upload that would take a person's unattached files past the allowance, until they are attached", async () => {
    const MiB = 1024 * 1024;
    const t = await newTenant({ config: { limits: { pendingUploadBytes: MiB } } });
    const alice = await t.token();
    const first = await upload(t.id, alice, 600 * 1024);
    expect(first.status).toBe(201);

    const second = await upload(t.id, alice, 600 * 1024);

    expect(second.status).toBe(429);
    expect(second.body.code).toBe("pending_uploads_full");
    expect(second.body.errors?.[0]?.path).toBe("file");
    expect(await count("attachments", "tenant_id = ?1", t.id)).toBe(1);
    // Someone else's allowance is their own.
    expect((await upload(t.id, await t.token({ sub: "bob", email: "bob@example.com" }), 600 * 1024)).status).toBe(201);
    // Once the first file goes on a ticket, it no longer counts.
    const filed = await fileAs(t.id, { token: alice }, { ...billingTicket, attachmentIds: [first.body.upload.id] });
    expect(filed.status).toBe(201);
    expect((await upload(t.id, alice, 600 * 1024)).status).toBe(201);
  });
});

describe("mail in", () => {
  it("rejects mail past a sender's limit without storing it; other senders get through", async () => {
    const t = await newTenant({
      config: {
        email: { fromAddress: "support@placeholder.example", newTicketsByEmail: true, departmentsByAddress: {} },
        limits: { mailPerSender: "5/min" },
      },
    });
    const domain = `${t.id}.example`;
    await env.DB.prepare("UPDATE tenants SET config = json_set(config, '$.email.fromAddress', ?2) WHERE id = ?1")
      .bind(t.id, `support@${domain}`)
      .run();
    const to = `support@${domain}`;
    let n = 0;
    const send = async (from: string) => {
      const raw = [
        `From: ${from}`,
        `To: ${to}`,
        `Subject: Site down ${n}`,
        `Message-ID: <limit.${Date.now()}.${n++}@mail.example>`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Every page answers 500.",
        "",
      ].join("\r\n");
      let rejected: string | null = null;
      const bytes = new TextEncoder().encode(raw);
      const message = {
        from,
        to,
        headers: new Headers(),
        raw: new Blob([bytes]).stream(),
        rawSize: bytes.length,
        setReject(reason: string) {
          rejected = reason;
        },
      } as unknown as ForwardableEmailMessage;
      const q = queued();
      const ctx = createExecutionContext();
      await worker.email(message, q.env, ctx);
      await waitOnExecutionContext(ctx);
      await q.drain();
      return rejected;
    };
    for (let i = 0; i < 5; i++) expect(await send("mallory@example.net")).toBeNull();

    expect(await send("mallory@example.net")).toMatch(/Too many messages from this address; try again in 60 seconds/);

    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(5);
    expect(await count("inbound_mail", "tenant_id = ?1", t.id)).toBe(5);
    expect(await send("alice@example.com")).toBeNull();
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(6);
  });
});
