import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context";

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
    allowMethods: (origin, c) => (allowedOrigin(origin, c) ? ["GET", "POST", "PATCH", "OPTIONS"] : []),
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
    // Retry-After: a 429 tells the widget when to try again.
    exposeHeaders: ["Location", "Idempotent-Replayed", "Retry-After"],
    maxAge: 600,
  });
}
