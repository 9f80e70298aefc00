import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { notFound } from "../errors";
import { RESERVED_TENANT_IDS } from "../schemas/tenant";
import { tenantCors } from "./cors";
import { cachedTenantWithKeys } from "./tenant-cache";

/**
 * For every path under /api/v1/{tenant}/: loads the tenant named in the path (404 when there is
 * none) and answers CORS for its origins. The API's own words there (admin, docs) are not tenants.
 * A warm isolate serves the tenant from memory (tenant-cache.ts: at most 30 s behind an admin change).
 */
export function tenantContext(): MiddlewareHandler<AppEnv> {
  const corsForTenant = tenantCors();
  return async function tenantContext(c, next) {
    const id = c.req.param("tenant");
    if (id === undefined || RESERVED_TENANT_IDS.has(id)) return next();
    const found = await cachedTenantWithKeys(c.env.DB, id, Date.now());
    if (!found) throw notFound("tenant");
    c.set("tenant", found.tenant);
    c.set("signingKeys", found.keys);
    c.set("webhooks", found.webhooks);
    return corsForTenant(c, next);
  };
}
