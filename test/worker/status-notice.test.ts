import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signStandardWebhook, verifyStandardWebhook } from "../../worker/auth/standard-webhooks";
import type { Problem } from "../../worker/errors";
import type { PublicConfig } from "../../worker/schemas/config";
import type { StoredStatusNotice } from "../../worker/schemas/status-notice";
import { api, count, newTenant } from "./helpers";
import { measure } from "./measure";

afterEach(() => {
  vi.useRealTimers();
});

interface NoticeResponse {
  notice: StoredStatusNotice | null;
  showing: boolean;
  webhookSecretSet: boolean;
}

async function desk() {
  const t = await newTenant();
  return {
    t,
    base: `/api/v1/${t.id}/status-notice`,
    admin: await t.token({ sub: "ada", name: "Ada Admin", email: "ada@desk.example", role: "admin" }),
    agent: await t.token({ sub: "bob", name: "Bob", role: "agent" }),
    customer: await t.token(),
  };
}

const configOf = async (tenantId: string) =>
  (await api<PublicConfig>("GET", `/api/v1/${tenantId}/config`)).body.statusNotice;
const storedNotice = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT status_notice FROM tenants WHERE id = ?1")
      .bind(tenantId)
      .first<{ status_notice: string | null }>()
  )?.status_notice ?? null;
const audit = (tenantId: string) =>
  env.DB.prepare(
    "SELECT action, actor_id, detail FROM audit_log WHERE tenant_id = ?1 AND action LIKE 'status_%' ORDER BY created_at, rowid",
  )
    .bind(tenantId)
    .all<{ action: string; actor_id: string; detail: string }>()
    .then((r) => r.results);

const MAIL_DELAYS = { text: "Mail delays on vps7 — no need to file a ticket", severity: "incident", affects: ["vps7"] };

describe("the status notice, set by a tenant's admins", () => {
  it("is set, shown in /config, read back and cleared by an admin, each change audited", async () => {
    const d = await desk();
    expect(await configOf(d.t.id)).toBeNull();
    const set = await api<NoticeResponse>("PUT", d.base, { token: d.admin, body: MAIL_DELAYS });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ showing: true, webhookSecretSet: false });
    expect(set.body.notice).toMatchObject({ ...MAIL_DELAYS, startsAt: null, endsAt: null, setBy: "Ada Admin" });
    expect(await configOf(d.t.id)).toEqual({ ...MAIL_DELAYS, startsAt: null, endsAt: null });
    expect((await api<NoticeResponse>("GET", d.base, { token: d.admin })).body.notice?.text).toBe(MAIL_DELAYS.text);

    const cleared = await api("DELETE", d.base, { token: d.admin });
    expect(cleared.status).toBe(204);
    expect(await configOf(d.t.id)).toBeNull();
    expect(await storedNotice(d.t.id)).toBeNull();
    expect((await audit(d.t.id)).map((a) => [a.action, a.actor_id])).toEqual([
      ["status_notice.set", "ada"],
      ["status_notice.clear", "ada"],
    ]);
  });

  it("refuses customers (404), agents (403) and the anonymous (401), changing nothing", async () => {
    const d = await desk();
    await api("PUT", d.base, { token: d.admin, body: MAIL_DELAYS });
    const before = await storedNotice(d.t.id);
    for (const [token, status] of [
      [d.customer, 404],
      [d.agent, 403],
    ] as const) {
      expect((await api("GET", d.base, { token })).status).toBe(status);
      expect((await api("PUT", d.base, { token, body: { ...MAIL_DELAYS, text: "Hacked" } })).status).toBe(status);
      expect((await api("DELETE", d.base, { token })).status).toBe(status);
      expect((await api("POST", `${d.base}/webhook-secret`, { token })).status).toBe(status);
    }
    expect((await api("DELETE", d.base)).status).toBe(401);
    expect(await storedNotice(d.t.id)).toBe(before);
    // Another desk's admin: their token does not verify here.
    const other = await desk();
    expect((await api("DELETE", d.base, { token: other.admin })).status).toBe(401);
    expect(await storedNotice(d.t.id)).toBe(before);
  });

  it.each([
    ["text", { ...MAIL_DELAYS, text: "x".repeat(301) }, "must be at most 300 characters"],
    ["text", { ...MAIL_DELAYS, text: "   " }, "must not be empty"],
    ["text", { ...MAIL_DELAYS, text: "two\nlines" }, "must be a single line"],
    ["severity", { ...MAIL_DELAYS, severity: "panic" }, ""],
    [
      "endsAt",
      { ...MAIL_DELAYS, startsAt: "2099-01-02T10:00:00Z", endsAt: "2099-01-02T09:00:00Z" },
      "must be after startsAt",
    ],
    ["endsAt", { ...MAIL_DELAYS, endsAt: "2001-01-01T00:00:00Z" }, "has already passed"],
    ["startsAt", { ...MAIL_DELAYS, startsAt: "tomorrow" }, "ISO 8601"],
    ["affects", { ...MAIL_DELAYS, affects: Array.from({ length: 21 }, (_, i) => `vps${i}`) }, ""],
  ])("refuses a bad %s with a problem naming it, and keeps the notice before", async (path, body, reason) => {
    const d = await desk();
    await api("PUT", d.base, { token: d.admin, body: { text: "Before", severity: "info" } });
    const res = await api<Problem>("PUT", d.base, { token: d.admin, body });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const error = res.body.errors?.find((e) => e.path === path);
    expect(error?.message).toContain(reason);
    expect((await configOf(d.t.id))?.text).toBe("Before");
  });

  it("shows in /config only between its start and its end, and no browser keeps it past either", async () => {
    const d = await desk();
    const start = Date.parse("2031-03-04T02:00:00Z");
    vi.setSystemTime(start - 3_600_000);
    const admin = () => d.t.token({ sub: "ada", name: "Ada Admin", role: "admin" }); // valid at the pinned time
    const window = { startsAt: "2031-03-04T03:00:00+01:00", endsAt: "2031-03-04T04:00:00Z" }; // 02:00 to 04:00 UTC
    const set = await api<NoticeResponse>("PUT", d.base, {
      token: await admin(),
      body: { text: "Planned maintenance of vps7", severity: "maintenance", ...window },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ showing: false });
    expect(set.body.notice).toMatchObject({ startsAt: "2031-03-04T02:00:00.000Z", endsAt: "2031-03-04T04:00:00.000Z" });

    vi.setSystemTime(start - 30_000);
    const early = await api<PublicConfig>("GET", `/api/v1/${d.t.id}/config`);
    expect(early.body.statusNotice).toBeNull();
    expect(early.headers.get("cache-control")).toBe("public, max-age=30");
    vi.setSystemTime(start);
    expect((await configOf(d.t.id))?.severity).toBe("maintenance");
    vi.setSystemTime(start + 2 * 3_600_000 - 10_000);
    const late = await api<PublicConfig>("GET", `/api/v1/${d.t.id}/config`);
    expect(late.body.statusNotice?.text).toBe("Planned maintenance of vps7");
    expect(late.headers.get("cache-control")).toBe("public, max-age=10");
    vi.setSystemTime(start + 2 * 3_600_000);
    expect(await configOf(d.t.id)).toBeNull();
    expect((await api<NoticeResponse>("GET", d.base, { token: await admin() })).body).toMatchObject({ showing: false });
  });

  it("costs /config no round trip when warm, notice or not", async () => {
    const d = await desk();
    await api("PUT", d.base, { token: d.admin, body: MAIL_DELAYS });
    await measure("GET", `/api/v1/${d.t.id}/config`, d.customer);
    const warm = await measure("GET", `/api/v1/${d.t.id}/config`, d.customer);
    expect(warm.status).toBe(200);
    expect((warm.body as PublicConfig).statusNotice?.text).toBe(MAIL_DELAYS.text);
    expect(warm.request.calls).toBe(0);
  });
});

describe("the status notice, set by a status page's signed webhook", () => {
  async function withSecret() {
    const d = await desk();
    const made = await api<{ secret: string }>("POST", `${d.base}/webhook-secret`, { token: d.admin });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    return { ...d, secret: made.body.secret };
  }

  async function deliver(
    d: { base: string },
    secret: string,
    body: unknown,
    id = crypto.randomUUID(),
    at = Date.now(),
  ) {
    const raw = JSON.stringify(body);
    const headers = { ...(await signStandardWebhook(secret, id, raw, at)) };
    return api<Problem>("POST", `${d.base}/webhook`, { rawBody: raw, headers: { ...headers } });
  }

  it("sets and clears the notice with a valid signature, audited as the webhook", async () => {
    const d = await withSecret();
    expect((await api<NoticeResponse>("GET", d.base, { token: d.admin })).body.webhookSecretSet).toBe(true);
    const set = await deliver(d, d.secret, { notice: { ...MAIL_DELAYS, severity: "incident" } });
    expect(set.status).toBe(204);
    expect(await configOf(d.t.id)).toMatchObject({ text: MAIL_DELAYS.text, severity: "incident", affects: ["vps7"] });
    const stored = (await api<NoticeResponse>("GET", d.base, { token: d.admin })).body.notice;
    expect(stored?.setBy).toBe("webhook");
    expect((await deliver(d, d.secret, { notice: null })).status).toBe(204);
    expect(await configOf(d.t.id)).toBeNull();
    expect((await audit(d.t.id)).map((a) => [a.action, a.actor_id])).toEqual([
      ["status_webhook.secret", "ada"],
      ["status_notice.set", "status-webhook"],
      ["status_notice.clear", "status-webhook"],
    ]);
  });

  it("refuses a bad signature, a wrong secret, an old or future timestamp, missing headers: 401, nothing changed", async () => {
    const d = await withSecret();
    await deliver(d, d.secret, { notice: { text: "Before", severity: "info" } });
    const before = await storedNotice(d.t.id);
    const body = { notice: { ...MAIL_DELAYS, text: "Forged" } };
    const other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect((await deliver(d, other, body)).status).toBe(401);
    expect((await deliver(d, d.secret, body, undefined, Date.now() - 301_000)).status).toBe(401);
    expect((await deliver(d, d.secret, body, undefined, Date.now() + 301_000)).status).toBe(401);
    // A body changed after signing.
    const id = crypto.randomUUID();
    const signed = await signStandardWebhook(d.secret, id, JSON.stringify({ notice: null }), Date.now());
    const altered = await api<Problem>("POST", `${d.base}/webhook`, { body, headers: { ...signed } });
    expect(altered.status).toBe(401);
    expect(altered.body.detail).toMatch(/signature/);
    expect((await api("POST", `${d.base}/webhook`, { body })).status).toBe(401);
    expect(await storedNotice(d.t.id)).toBe(before);
    expect(await count("status_webhook_ids", "tenant_id = ?1 AND webhook_id = ?2", d.t.id, id)).toBe(0);
  });

  it("refuses a replayed webhook-id (409), even within the window, and it changes nothing", async () => {
    const d = await withSecret();
    const id = "msg_2b8f1c";
    const first = await deliver(d, d.secret, { notice: { text: "First", severity: "info" } }, id);
    expect(first.status).toBe(204);
    await api("DELETE", d.base, { token: d.admin });
    const replay = await deliver(d, d.secret, { notice: { text: "First", severity: "info" } }, id);
    expect(replay.status).toBe(409);
    expect(await configOf(d.t.id)).toBeNull();
    // Another desk may use the same id: ids are per tenant.
    const e = await withSecret();
    expect((await deliver(e, e.secret, { notice: { text: "Elsewhere", severity: "info" } }, id)).status).toBe(204);
  });

  it("refuses deliveries once the webhook is off, and a body that fails the checks without remembering its id", async () => {
    const d = await withSecret();
    const id = crypto.randomUUID();
    const bad = await deliver(d, d.secret, { notice: { text: "", severity: "info" } }, id);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("notice.text");
    const past = await deliver(
      d,
      d.secret,
      { notice: { text: "Over", severity: "info", endsAt: "2001-01-01T00:00:00Z" } },
      id,
    );
    expect(past.status).toBe(400);
    expect(past.body.errors?.[0]?.path).toBe("notice.endsAt");
    expect((await deliver(d, d.secret, { notice: { text: "Fixed", severity: "info" } }, id)).status).toBe(204);
    expect((await api("DELETE", `${d.base}/webhook-secret`, { token: d.admin })).status).toBe(204);
    expect((await deliver(d, d.secret, { notice: null })).status).toBe(401);
    expect((await configOf(d.t.id))?.text).toBe("Fixed");
    const none = await desk();
    expect((await deliver(none, d.secret, { notice: null })).status).toBe(401);
  });

  it("forgets ids once their timestamps are past the window", async () => {
    const d = await withSecret();
    const start = Date.now();
    vi.setSystemTime(start);
    await deliver(d, d.secret, { notice: { text: "One", severity: "info" } }, "old-id");
    vi.setSystemTime(start + 10 * 60_000);
    await deliver(d, d.secret, { notice: { text: "Two", severity: "info" } }, "new-id");
    const ids = await env.DB.prepare("SELECT webhook_id FROM status_webhook_ids WHERE tenant_id = ?1")
      .bind(d.t.id)
      .all<{ webhook_id: string }>();
    expect(ids.results.map((r) => r.webhook_id)).toEqual(["new-id"]);
  });
});

describe("Standard Webhooks signatures", () => {
  // The example of the specification's reference implementations (standard-webhooks, libraries/javascript tests).
  it("verifies the reference libraries' test vector, and any one of several signatures", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const body = '{"test": 2432232314}';
    const at = 1614265330 * 1000;
    const signed = await signStandardWebhook(secret, id, body, at);
    expect(signed["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    const headers = new Headers({ ...signed, "webhook-signature": `v1,bm90IGl0 ${signed["webhook-signature"]}` });
    expect(await verifyStandardWebhook(secret, headers, body, at + 299_000)).toEqual({
      ok: true,
      id,
      timestamp: 1614265330,
    });
    expect(await verifyStandardWebhook(secret, headers, `${body} `, at)).toMatchObject({ reason: "bad_signature" });
    expect(await verifyStandardWebhook(secret, headers, body, at + 301_000)).toMatchObject({
      reason: "stale_timestamp",
    });
  });
});
