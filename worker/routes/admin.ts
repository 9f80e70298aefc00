import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { randomToken } from "../auth/encoding";
import type { AppEnv } from "../context";
import { insertSecret, listSecrets, readTenant, revokeSecret, upsertTenant } from "../db/tenants";
import { ApiError, fieldError, notFound } from "../errors";
import { requireAdmin } from "../middleware/admin";
import { jsonBodyLimit } from "../middleware/body-limit";
import { forgetTenant } from "../middleware/tenant-cache";
import { NewSecret, NewSecretResponse, TenantResponse, type TenantView } from "../schemas/admin";
import { problems } from "../schemas/problem";
import { type Tenant, TenantId, TenantInput } from "../schemas/tenant";
import { jsonBody, jsonResponse } from "./openapi";

const IdParam = z.object({
  id: TenantId.openapi({ param: { name: "id", in: "path" }, example: "acme" }),
});

/**
 * A tenant as the admin API shows it. The alert webhook's signing secret is shown only in the
 * answer to the PUT that set it (like a new embed secret); every later read leaves it out.
 */
async function tenantView(db: D1Database, t: Tenant, justSet = false): Promise<TenantView> {
  const secrets = await listSecrets(db, t.id);
  const { webhookSecret, ...emergency } = t.config.emergency;
  return {
    id: t.id,
    parentId: t.parentId,
    name: t.name,
    config: justSet ? t.config : { ...t.config, emergency },
    secrets: secrets.map((s) => ({
      kid: s.kid,
      createdAt: new Date(s.createdAt).toISOString(),
      revokedAt: s.revokedAt === null ? null : new Date(s.revokedAt).toISOString(),
    })),
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}

const security: Record<string, string[]>[] = [{ adminSecret: [] }];

/**
 * `/api/v1/admin`: the provider's API for tenants and their embed secrets, behind ADMIN_SECRET.
 * Every change forgets this isolate's cached copy of the tenant; other isolates catch up within
 * TENANT_CACHE_MS (middleware/tenant-cache.ts).
 */
export const admin = new OpenAPIHono<AppEnv>();
admin.use(requireAdmin());

admin.openapi(
  createRoute({
    method: "put",
    path: "/tenants/{id}",
    operationId: "putTenant",
    middleware: jsonBodyLimit(),
    tags: ["Admin"],
    summary: "Create or replace a tenant",
    description:
      "A provider, or a reseller when `parentId` names a provider. Parts of `config` left out take the defaults.",
    security,
    request: { params: IdParam, body: jsonBody(TenantInput) },
    responses: {
      200: jsonResponse(TenantResponse, "Replaced."),
      201: jsonResponse(TenantResponse, "Created."),
      400: problems[400],
      401: problems[401],
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    if (input.parentId !== null) {
      if (input.parentId === id) throw fieldError("parentId", "a tenant cannot be its own parent");
      const parent = await readTenant(c.env.DB, input.parentId);
      if (!parent) throw fieldError("parentId", "no such tenant");
      if (parent.parentId !== null) throw fieldError("parentId", "must be a provider (a tenant without a parent)");
    }
    const existed = (await readTenant(c.env.DB, id)) !== null;
    const tenant = await upsertTenant(c.env.DB, id, input, Date.now());
    forgetTenant(id);
    return c.json({ tenant: await tenantView(c.env.DB, tenant, true) }, existed ? 200 : 201);
  },
);

admin.openapi(
  createRoute({
    method: "get",
    path: "/tenants/{id}",
    operationId: "getTenant",
    tags: ["Admin"],
    summary: "Read a tenant",
    description:
      "Its configuration and the key ids of its embed secrets (never the secrets); the alert webhook's `webhookSecret` is left out too (it is shown only in the answer to the PUT that sets it).",
    security,
    request: { params: IdParam },
    responses: { 200: jsonResponse(TenantResponse, "The tenant."), 401: problems[401], 404: problems[404] },
  }),
  async (c) => {
    const tenant = await readTenant(c.env.DB, c.req.valid("param").id);
    if (!tenant) throw notFound("tenant");
    return c.json({ tenant: await tenantView(c.env.DB, tenant) }, 200);
  },
);

admin.openapi(
  createRoute({
    method: "post",
    path: "/tenants/{id}/secrets",
    operationId: "addTenantSecret",
    middleware: jsonBodyLimit(),
    tags: ["Admin"],
    summary: "Add an embed secret (rotation)",
    description:
      "Adds a signing secret under a new key id and returns it once. Rotate by adding the new one, switching the host panel to it (tokens carry `kid`) once it is in force everywhere (within 30 seconds), then revoking the old one.",
    security,
    request: { params: IdParam, body: jsonBody(NewSecret) },
    responses: {
      201: jsonResponse(NewSecretResponse, "The new secret; store it in the host panel now."),
      400: problems[400],
      401: problems[401],
      404: problems[404],
      409: problems[409],
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    if (!(await readTenant(c.env.DB, id))) throw notFound("tenant");
    const input = c.req.valid("json");
    const key = {
      kid: input.kid ?? `k${Date.now().toString(36)}${randomToken(3)}`,
      secret: input.secret ?? randomToken(32),
    };
    if (!(await insertSecret(c.env.DB, id, key, Date.now())))
      throw new ApiError("conflict", `Key id ${key.kid} is already in use.`);
    forgetTenant(id);
    return c.json(key, 201);
  },
);

admin.openapi(
  createRoute({
    method: "delete",
    path: "/tenants/{id}/secrets/{kid}",
    operationId: "revokeTenantSecret",
    tags: ["Admin"],
    summary: "Revoke an embed secret",
    description:
      "Tokens signed with it are refused from now on: at once by the Worker that answers this call, everywhere within 30 seconds.",
    security,
    request: {
      params: IdParam.extend({
        kid: z
          .string()
          .max(64)
          .openapi({ param: { name: "kid", in: "path" } }),
      }),
    },
    responses: { 204: { description: "Revoked." }, 401: problems[401], 404: problems[404] },
  }),
  async (c) => {
    const { id, kid } = c.req.valid("param");
    if (!(await revokeSecret(c.env.DB, id, kid, Date.now()))) throw notFound("active secret");
    forgetTenant(id);
    return c.body(null, 204);
  },
);
