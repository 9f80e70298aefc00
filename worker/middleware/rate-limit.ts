import type { MiddlewareHandler } from "hono";
import { authenticate } from "../auth/principal";
import type { AppEnv } from "../context";
import { clientIp, enforceLimits, type LimitCheck } from "../limits";
import { uploaderOf } from "../tickets/access";

export type LimitedAction = "tickets" | "replies" | "uploads";

/**
 * For a route that writes: counts the request against the tenant's limits per person and per
 * client IP (a guest filing has no person yet: per IP only), before the body is read or anything is written.
 */
export function rateLimit(action: LimitedAction): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const who = await authenticate(c);
    const ip = clientIp(c.req.raw);
    const checks: LimitCheck[] = [];
    if (who) checks.push({ limit: `${action}PerIdentity`, subject: uploaderOf(who) });
    else if (action === "tickets" && ip) checks.push({ limit: "guestTicketsPerIp", subject: `ip:${ip}` });
    if (ip) checks.push({ limit: `${action}PerIp`, subject: `ip:${ip}` });
    await enforceLimits(c.env, c.get("tenant"), checks);
    return next();
  };
}
