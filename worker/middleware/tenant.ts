import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { readTenantWithKeys } from "../db/tenants";
import { notFound } from "../errors";

/** Path segments under /api/v1/ that are the API's own, not tenants. */
const NOT_TENANTS = new Set(["admin", "openapi.json", "docs"]);

const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
const EXPOSED_HEADERS = "Location, Idempotent-Replayed";

/**
 * Loads the tenant named in the path and answers CORS for it: only the tenant's own
 * allowed origins, echoed exactly (never `*`), so no other site can call on a user's behalf.
 */
export function tenantContext(): MiddlewareHandler<AppEnv> {
  return async function tenantContext(c, next) {
    const id = c.req.param("tenant");
    if (id === undefined || NOT_TENANTS.has(id)) return next();
    const found = await readTenantWithKeys(c.env.DB, id);
    if (!found) throw notFound("tenant");
    const { tenant } = found;
    c.set("tenant", tenant);
    c.set("signingKeys", found.keys);

    const origin = c.req.header("origin");
    const allowed = origin !== undefined && tenant.config.allowedOrigins.includes(origin);
    if (c.req.method === "OPTIONS") {
      const headers = new Headers({ Vary: "Origin" });
      if (allowed) {
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Methods", "GET, POST, PATCH, OPTIONS");
        headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.set("Access-Control-Max-Age", "600");
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    c.res.headers.append("Vary", "Origin");
    if (allowed) {
      c.res.headers.set("Access-Control-Allow-Origin", origin);
      c.res.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
  };
}
