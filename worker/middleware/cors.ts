import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context";
import { BOOKMARK_HEADER } from "./d1-session";

/**
 * CORS for one tenant: only the tenant's own allowed origins, echoed exactly (never `*`), so no
 * other site can call on a user's behalf. Runs after the tenant is loaded.
 */
export function tenantCors(): MiddlewareHandler<AppEnv> {
  const allowedOrigin = (origin: string, c: Context<AppEnv>): string | null =>
    c.get("tenant").config.allowedOrigins.includes(origin) ? origin : null;
  return cors({
    origin: allowedOrigin,
    // A refused origin's preflight names no methods, as it names no origin.
    allowMethods: (origin, c) => (allowedOrigin(origin, c) ? ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] : []),
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", BOOKMARK_HEADER],
    // Retry-After: a 429 tells the widget when to try again; the bookmark, what its next read must see.
    exposeHeaders: ["Location", "Idempotent-Replayed", "Retry-After", BOOKMARK_HEADER],
    maxAge: 600,
  });
}
