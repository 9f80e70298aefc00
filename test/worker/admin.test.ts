import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import type { NewSecretResponse, TenantResponse } from "../../worker/schemas/admin";
import { ADMIN, api, count, newTenant, tokenFor } from "./helpers";

let counter = 0;
/** A tenant id no other test uses, for tenants made through the admin API directly. */
const freshId = () =>
  `adm${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

const put = (id: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  api<TenantResponse & Problem>("PUT", `/api/v1/admin/tenants/${id}`, { headers, body });
const get = (id: string) => api<TenantResponse & Problem>("GET", `/api/v1/admin/tenants/${id}`, { headers: ADMIN });
const paths = (res: { body: Problem }) => (res.body.errors ?? []).map((e) => e.path);

describe("admin authentication", () => {
  it.each<[string, Record<string, string>]>([
    ["no Authorization header", {}],
    ["a wrong secret", { authorization: "Bearer not-the-admin-secret" }],
    ["the right secret under another scheme", { authorization: ADMIN.authorization.replace("Bearer", "Basic") }],
  ])("refuses %s with a 401 problem and creates nothing", async (_, headers) => {
    const id = freshId();
    const res = await put(id, { name: "Sneaky" }, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("unauthorized");
    expect(await count("tenants", "id = ?1", id)).toBe(0);
    const read = await api<Problem>("GET", `/api/v1/admin/tenants/${id}`, { headers });
    expect(read.status).toBe(401);
  });
});

describe("creating and replacing tenants", () => {
  it("creates with 201, then replaces with 200", async () => {
    const id = freshId();
    const created = await put(id, { name: "Acme Hosting" });
    expect(created.status).toBe(201);
    expect(created.body.tenant).toMatchObject({ id, name: "Acme Hosting", parentId: null });
    expect(created.body.tenant.config.timeZone).toBe("America/New_York");

    const replaced = await put(id, { name: "Acme Hosting Ltd", config: { branding: { accentColor: "#ff8800" } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.tenant.name).toBe("Acme Hosting Ltd");
    expect(replaced.body.tenant.config.branding.accentColor).toBe("#ff8800");
    expect((await get(id)).body.tenant.name).toBe("Acme Hosting Ltd");
    expect(await count("tenants", "id = ?1", id)).toBe(1);
  });

  it("answers 404 for a tenant that does not exist", async () => {
    const res = await get(freshId());
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });
});

describe("invalid tenant input changes nothing", async () => {
  const id = freshId();
  const original = await put(id, {
    name: "Stable Hosting",
    config: { allowedOrigins: ["https://panel.stable.example"] },
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a bad accent colour", { branding: { accentColor: "blue" } }, "config.branding.accentColor"],
    ["an origin with a path", { allowedOrigins: ["https://x.com/path"] }, "config.allowedOrigins.0"],
    ["an unknown time zone", { timeZone: "Mars/Base" }, "config.timeZone"],
    [
      "duplicate department ids",
      {
        departments: [
          { id: "billing", name: "Billing" },
          { id: "billing", name: "Billing again" },
        ],
      },
      "config.departments.1.id",
    ],
    ["an unknown config key", { colour: "#000000" }, "config.colour"],
  ])("refuses %s with 400 at the path", async (_, config, path) => {
    const res = await put(id, { name: "Changed Name", config });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("validation_failed");
    expect(paths(res)).toContain(path);
    expect((await get(id)).body.tenant).toEqual(original.body.tenant);
  });

  it("refuses an unknown top-level key by name", async () => {
    const res = await put(id, { name: "Changed Name", secret: "x".repeat(40) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: "secret", message: "is not a field you can set" });
    expect((await get(id)).body.tenant).toEqual(original.body.tenant);
  });
});

describe("parents and reserved ids", async () => {
  const provider = freshId();
  const reseller = freshId();
  await put(provider, { name: "Provider" });
  await put(reseller, { name: "Reseller", parentId: provider });

  it("accepts a reseller under a provider", async () => {
    expect((await get(reseller)).body.tenant.parentId).toBe(provider);
  });

  it.each<[string, (id: string) => string]>([
    ["a parent that does not exist", () => freshId()],
    ["itself as parent", (id) => id],
    ["a reseller as parent", () => reseller],
  ])("refuses %s with 400 at parentId and creates nothing", async (_, parentOf) => {
    const id = freshId();
    const res = await put(id, { name: "Child", parentId: parentOf(id) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(paths(res)).toEqual(["parentId"]);
    expect(await count("tenants", "id = ?1", id)).toBe(0);
  });

  it("does not let an existing tenant be made its own parent", async () => {
    const res = await put(provider, { name: "Provider", parentId: provider });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(["parentId"]);
    expect((await get(provider)).body.tenant.parentId).toBeNull();
  });

  it.each(["admin", "docs", "Upper-Case", "-dash-first"])("refuses the tenant id %s with 400", async (id) => {
    const res = await put(id, { name: "Taken" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(paths(res)).toContain("id");
    expect(await count("tenants", "id = ?1", id)).toBe(0);
  });
});

describe("embed secrets", async () => {
  const t = await newTenant();
  const k2Secret = `second-secret-${t.id}-abcdefabcdefabcdefabcdef`;
  const list = (token: string) => api<Problem>("GET", `/api/v1/${t.id}/tickets`, { token });

  it("shows the config and key ids, never the secret values", async () => {
    const res = await api<TenantResponse>("GET", `/api/v1/admin/tenants/${t.id}`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.tenant.config.departments.map((d) => d.id)).toEqual(["technical", "billing", "abuse"]);
    expect(res.body.tenant.secrets).toEqual([{ kid: "k1", createdAt: expect.any(String), revokedAt: null }]);
    expect(JSON.stringify(res.body)).not.toContain(t.secret);
  });

  it("rotates: add k2, sign with k2, revoke k1, and k1 tokens are refused", async () => {
    const oldToken = await t.token();
    expect((await list(oldToken)).status).toBe(200);

    const added = await api<NewSecretResponse>("POST", `/api/v1/admin/tenants/${t.id}/secrets`, {
      headers: ADMIN,
      body: { kid: "k2", secret: k2Secret },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ kid: "k2", secret: k2Secret });

    const newToken = await tokenFor(t.id, k2Secret, {}, "k2");
    expect((await list(newToken)).status).toBe(200);
    // Both keys work during the switch-over.
    expect((await list(oldToken)).status).toBe(200);

    const revoked = await api("DELETE", `/api/v1/admin/tenants/${t.id}/secrets/k1`, { headers: ADMIN });
    expect(revoked.status).toBe(204);

    const refused = await list(await t.token());
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("unauthorized");
    expect((await list(newToken)).status).toBe(200);

    const view = await get(t.id);
    expect(view.body.tenant.secrets.map((s) => [s.kid, s.revokedAt === null])).toEqual([
      ["k1", false],
      ["k2", true],
    ]);
    expect(JSON.stringify(view.body)).not.toContain(k2Secret);
  });

  it("answers 404 when revoking a key that is already revoked, or unknown", async () => {
    const again = await api<Problem>("DELETE", `/api/v1/admin/tenants/${t.id}/secrets/k1`, { headers: ADMIN });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe("not_found");
    const unknown = await api<Problem>("DELETE", `/api/v1/admin/tenants/${t.id}/secrets/k9`, { headers: ADMIN });
    expect(unknown.status).toBe(404);
  });

  it("answers 409 for a key id already in use, keeping the first secret", async () => {
    const res = await api<Problem>("POST", `/api/v1/admin/tenants/${t.id}/secrets`, {
      headers: ADMIN,
      body: { kid: "k2", secret: "another-secret-that-is-long-enough-0123456789" },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
    expect((await list(await tokenFor(t.id, k2Secret, {}, "k2"))).status).toBe(200);
  });

  it("generates a secret when none is given, and refuses one shorter than 32 characters", async () => {
    const generated = await api<NewSecretResponse>("POST", `/api/v1/admin/tenants/${t.id}/secrets`, {
      headers: ADMIN,
      body: {},
    });
    expect(generated.status).toBe(201);
    expect(generated.body.secret.length).toBeGreaterThanOrEqual(32);
    expect((await list(await tokenFor(t.id, generated.body.secret, {}, generated.body.kid))).status).toBe(200);

    const short = await api<Problem>("POST", `/api/v1/admin/tenants/${t.id}/secrets`, {
      headers: ADMIN,
      body: { kid: "k3", secret: "too-short" },
    });
    expect(short.status).toBe(400);
    expect(paths(short)).toContain("secret");
  });

  it("answers 404 when adding a secret to a tenant that does not exist", async () => {
    const res = await api<Problem>("POST", `/api/v1/admin/tenants/${freshId()}/secrets`, { headers: ADMIN, body: {} });
    expect(res.status).toBe(404);
  });
});
