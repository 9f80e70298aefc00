import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { readTenantWithKeys } from "../db/tenants";
import { notFound } from "../errors";
import { RESERVED_TENANT_IDS } from "../schemas/tenant";
import { tenantCors } from "./cors";

/**
 * For every path under /api/v1/{tenant}/: loads the tenant named in the path (404 when there is
 * none) and answers CORS for its origins. The API's own words there (admin, docs) are not tenants.
 */
export function tenantContext(): MiddlewareHandler<AppEnv> {
  const corsForTenant = tenantCors();
  return async function tenantContext(c, next) {
    const id = c.req.param("tenant");
    if (id === undefined || RESERVED_TENANT_IDS.has(id)) return next();
    const found = await readTenantWithKeys(c.env.DB, id);
    if (!found) throw notFound("tenant");
    c.set("tenant", found.tenant);
    c.set("signingKeys", found.keys);
    return corsForTenant(c, next);
  };
}
