import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { NewSecretResponse } from "../../worker/schemas/admin";
import type { PublicConfig } from "../../worker/schemas/config";
import type { OpeningsResponse, SettingsResponse } from "../../worker/schemas/settings";
import { ADMIN, api, count, newTenant, ORIGIN, tokenFor } from "./helpers";

type Desk = Awaited<ReturnType<typeof newTenant>>;

async function desk(options: Parameters<typeof newTenant>[0] = {}) {
  const t = await newTenant(options);
  return {
    t,
    admin: await t.token({ sub: "ada", name: "Ada Admin", email: "ada@desk.example", role: "admin" }),
    agent: await t.token({ sub: "bob", name: "Bob", role: "agent" }),
    customer: await t.token(),
  };
}

const settingsOf = (t: Desk, token: string) =>
  api<SettingsResponse & Problem>("GET", `/api/v1/${t.id}/settings`, { token });
const patch = (t: Desk, token: string, body: unknown) =>
  api<SettingsResponse & Problem>("PATCH", `/api/v1/${t.id}/settings`, { token, body });
const publicConfig = async (id: string) => (await api<PublicConfig>("GET", `/api/v1/${id}/config`)).body;
const auditRows = (tenantId: string, action: string) =>
  env.DB.prepare("SELECT actor_id, detail FROM audit_log WHERE tenant_id = ?1 AND action = ?2 ORDER BY created_at")
    .bind(tenantId, action)
    .all<{ actor_id: string; detail: string }>()
    .then((r) => r.results);
const storedConfig = async (id: string) =>
  (await env.DB.prepare("SELECT config FROM tenants WHERE id = ?1").bind(id).first<{ config: string }>())?.config;

const WEBHOOK_SECRET = "whsec-0123456789abcdef0123456789abcdef";

describe("a tenant's admins read and change their own desk", () => {
  it("shows an admin the config without secrets, and refuses agents (403) and customers (404)", async () => {
    const d = await desk();
    const res = await settingsOf(d.t, d.admin);
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ id: d.t.id, parentId: null, webhookSecretSet: false });
    expect(res.body.settings.secrets.map((s) => s.kid)).toEqual(["k1"]);
    expect(res.body.settings.providerControlled).toEqual(["limits", "attachments"]);
    expect(JSON.stringify(res.body)).not.toContain(d.t.secret);
    expect((await settingsOf(d.t, d.agent)).status).toBe(403);
    expect((await settingsOf(d.t, d.customer)).status).toBe(404);
    expect((await patch(d.t, d.agent, { guestsAllowed: true })).status).toBe(403);
    expect((await patch(d.t, d.customer, { guestsAllowed: true })).status).toBe(404);
    expect((await api("GET", `/api/v1/${d.t.id}/settings`)).status).toBe(401);
    expect((await publicConfig(d.t.id)).guestsAllowed).toBe(false);
  });

  it("changes the parts given, keeps the rest, audits the changed parts, and the widget's config shows it at once", async () => {
    const d = await desk();
    const before = await publicConfig(d.t.id);
    const hours = { mon: [{ open: "10:00", close: "14:00" }] };
    const res = await patch(d.t, d.admin, { branding: { accentColor: "#aa3300" }, hours, name: "Bluebird Web" });
    expect(res.status).toBe(200);
    expect(res.body.settings.config.branding.accentColor).toBe("#aa3300");
    const after = await publicConfig(d.t.id);
    expect(after.branding.accentColor).toBe("#aa3300");
    expect(after.supportHours.weekly).toEqual(hours);
    expect(after.tenant.name).toBe("Bluebird Web");
    expect(after.departments).toEqual(before.departments);
    // Parts left out stay as they were, not reset to the defaults.
    expect(res.body.settings.config.allowedOrigins).toEqual([ORIGIN]);
    expect(res.body.settings.config.limits.ticketsPerIdentity).toBe("1000/min");
    const rows = await auditRows(d.t.id, "settings.update");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor_id).toBe("ada");
    expect(JSON.parse(rows[0]?.detail ?? "{}")).toEqual({ keys: "name,branding,hours" });
    // The same again changes nothing: no second audit row.
    expect((await patch(d.t, d.admin, { branding: { accentColor: "#aa3300" } })).status).toBe(200);
    expect(await auditRows(d.t.id, "settings.update")).toHaveLength(1);
  });

  it.each<[string, unknown, string]>([
    ["a bad colour", { branding: { accentColor: "red" } }, "branding.accentColor"],
    ["no departments", { departments: [] }, "departments"],
    [
      "a webhook contact without a secret",
      { emergency: { contacts: [{ channel: "webhook", name: "Pager", url: "https://pager.example/hook" }] } },
      "emergency.webhookSecret",
    ],
    ["the provider's rate limits", { limits: {} }, "limits"],
    ["the provider's attachment rules", { attachments: {} }, "attachments"],
    ["the parent", { parentId: null }, "parentId"],
  ])("refuses %s with a 400 naming the field, and changes nothing", async (_, body, path) => {
    const d = await desk();
    const stored = await storedConfig(d.t.id);
    const res = await patch(d.t, d.admin, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect((res.body.errors ?? []).map((e) => e.path)).toContain(path);
    expect(await storedConfig(d.t.id)).toBe(stored);
    expect(await auditRows(d.t.id, "settings.update")).toHaveLength(0);
  });

  it("sets the webhook secret write-only, and keeps it when the policy is saved without it", async () => {
    const d = await desk();
    const emergency = {
      contacts: [{ channel: "webhook", name: "Pager", url: "https://pager.example/hook" }],
      webhookSecret: WEBHOOK_SECRET,
    };
    const set = await patch(d.t, d.admin, { emergency });
    expect(set.status).toBe(200);
    expect(set.body.settings.webhookSecretSet).toBe(true);
    expect(JSON.stringify(set.body)).not.toContain(WEBHOOK_SECRET);
    const read = await settingsOf(d.t, d.admin);
    expect(JSON.stringify(read.body)).not.toContain(WEBHOOK_SECRET);
    const rows = await auditRows(d.t.id, "settings.update");
    expect(JSON.stringify(rows)).not.toContain(WEBHOOK_SECRET);
    expect(JSON.parse(rows[0]?.detail ?? "{}")).toEqual({ keys: "emergency", webhookSecret: "set" });
    // The console sends the policy back without the secret it never saw.
    const { webhookSecret: _, ...withoutSecret } = emergency;
    const again = await patch(d.t, d.admin, { emergency: { ...withoutSecret, ackWindowMinutes: 15 } });
    expect(again.status).toBe(200);
    expect(again.body.settings.config.emergency.ackWindowMinutes).toBe(15);
    expect(await storedConfig(d.t.id)).toContain(WEBHOOK_SECRET);
  });

  it("refuses a mail domain that another desk uses", async () => {
    const provider = await desk({
      config: {
        email: { fromAddress: "support@northwind.example", newTicketsByEmail: false, departmentsByAddress: {} },
      },
    });
    const d = await desk({ parentId: provider.t.id });
    const res = await patch(d.t, d.admin, {
      email: { fromAddress: "help@northwind.example", newTicketsByEmail: false, departmentsByAddress: {} },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "email.fromAddress", message: expect.stringContaining("another desk") }]);
    const own = await patch(d.t, d.admin, {
      email: { fromAddress: "help@bluebird.example", newTicketsByEmail: false, departmentsByAddress: {} },
    });
    expect(own.status).toBe(200);
  });
});

describe("a reseller's admin and its provider", () => {
  it("cannot read or change the provider's settings; its own changes leave the provider untouched", async () => {
    const provider = await desk({ name: "Northwind Hosting" });
    const reseller = await desk({ parentId: provider.t.id, name: "Bluebird Web" });
    const providerBefore = await storedConfig(provider.t.id);
    // Tokens verify per tenant: the reseller's admin token does not open the provider's desk.
    expect((await api("GET", `/api/v1/${provider.t.id}/settings`, { token: reseller.admin })).status).toBe(401);
    const attempt = await api("PATCH", `/api/v1/${provider.t.id}/settings`, {
      token: reseller.admin,
      body: { branding: { accentColor: "#000000" } },
    });
    expect(attempt.status).toBe(401);
    const own = await patch(reseller.t, reseller.admin, {
      branding: { accentColor: "#123456" },
      timeZone: "Europe/Berlin",
    });
    expect(own.status).toBe(200);
    expect(own.body.settings.parentId).toBe(provider.t.id);
    expect((await publicConfig(reseller.t.id)).branding.accentColor).toBe("#123456");
    expect((await publicConfig(provider.t.id)).branding.accentColor).toBe("#1f6feb");
    expect(await storedConfig(provider.t.id)).toBe(providerBefore);
    // The provider's admin API still sees the reseller as its reseller.
    const viaAdmin = await api<{ tenant: { parentId: string } }>("GET", `/api/v1/admin/tenants/${reseller.t.id}`, {
      headers: ADMIN,
    });
    expect(viaAdmin.body.tenant.parentId).toBe(provider.t.id);
  });
});

describe("embed secrets from the settings", () => {
  it("adds a secret shown once that signs working tokens, and revokes the old key but never the signing one", async () => {
    const d = await desk();
    const added = await api<NewSecretResponse>("POST", `/api/v1/${d.t.id}/settings/secrets`, { token: d.admin });
    expect(added.status).toBe(201);
    const { kid, secret } = added.body;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const fresh = await tokenFor(d.t.id, secret, { sub: "ada", name: "Ada Admin", role: "admin" }, kid);
    expect((await api("GET", `/api/v1/${d.t.id}/tickets`, { token: fresh })).status).toBe(200);
    const listed = await settingsOf(d.t, fresh);
    expect(listed.body.settings.secrets.map((s) => s.kid)).toEqual(["k1", kid]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // The key that signed this very request cannot be revoked by it.
    const own = await api<Problem>("DELETE", `/api/v1/${d.t.id}/settings/secrets/k1`, { token: d.admin });
    expect(own.status).toBe(409);
    expect(own.body.detail).toContain("signed this request");
    expect((await api("DELETE", `/api/v1/${d.t.id}/settings/secrets/nope`, { token: fresh })).status).toBe(404);
    expect((await api("DELETE", `/api/v1/${d.t.id}/settings/secrets/k1`, { token: fresh })).status).toBe(204);
    expect((await api("GET", `/api/v1/${d.t.id}/tickets`, { token: d.admin })).status).toBe(401);
    expect((await api("GET", `/api/v1/${d.t.id}/tickets`, { token: fresh })).status).toBe(200);

    const added2 = await auditRows(d.t.id, "secret.add");
    const revoked = await auditRows(d.t.id, "secret.revoke");
    expect(added2.map((r) => JSON.parse(r.detail))).toEqual([{ kid }]);
    expect(revoked.map((r) => JSON.parse(r.detail))).toEqual([{ kid: "k1" }]);
    expect(JSON.stringify([...added2, ...revoked])).not.toContain(secret);
  });

  it("is for admins only", async () => {
    const d = await desk();
    expect((await api("POST", `/api/v1/${d.t.id}/settings/secrets`, { token: d.agent })).status).toBe(403);
    expect((await api("POST", `/api/v1/${d.t.id}/settings/secrets`, { token: d.customer })).status).toBe(404);
    expect((await api("DELETE", `/api/v1/${d.t.id}/settings/secrets/k1`, { token: d.agent })).status).toBe(403);
    expect(await count("tenant_secrets", "tenant_id = ?1", d.t.id)).toBe(1);
  });
});

describe("previewing the hours", () => {
  it("lists the next openings of draft hours without saving them", async () => {
    const d = await desk();
    const stored = await storedConfig(d.t.id);
    const res = await api<OpeningsResponse & Problem>("POST", `/api/v1/${d.t.id}/settings/openings`, {
      token: d.admin,
      body: { timeZone: "UTC", hours: { mon: [{ open: "09:00", close: "17:00" }] }, holidays: [], count: 3 },
    });
    expect(res.status).toBe(200);
    expect(res.body.openings).toHaveLength(3);
    for (const o of res.body.openings) {
      const opens = new Date(o.opensAt);
      const closes = new Date(o.closesAt ?? "");
      expect(closes.getUTCDay()).toBe(1);
      expect(closes.toISOString().slice(11, 16)).toBe("17:00");
      expect(opens.getTime()).toBeLessThan(closes.getTime());
    }
    const [first, second] = res.body.openings;
    expect(new Date(second?.opensAt ?? "").getTime() - new Date(first?.closesAt ?? "").getTime()).toBeGreaterThan(
      6 * 24 * 3600_000,
    );
    expect(await storedConfig(d.t.id)).toBe(stored);
    const bad = await api<Problem>("POST", `/api/v1/${d.t.id}/settings/openings`, {
      token: d.admin,
      body: { hours: { mon: [{ open: "17:00", close: "09:00" }] } },
    });
    expect(bad.status).toBe(400);
    expect((await api("POST", `/api/v1/${d.t.id}/settings/openings`, { token: d.agent, body: {} })).status).toBe(403);
  });
});
