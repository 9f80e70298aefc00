import type { MiddlewareHandler } from "hono";
import { utf8 } from "../auth/encoding";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

async function digest(s: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", utf8(s));
}

/** The provider's admin API: `Authorization: Bearer <ADMIN_SECRET>`, compared in constant time. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const secret = c.env.ADMIN_SECRET;
    if (!secret)
      throw new ApiError("unauthorized", "The admin API is off: set ADMIN_SECRET with `wrangler secret put`.");
    const given = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    // Comparing digests keeps the lengths equal, so timing says nothing about the secret.
    if (!crypto.subtle.timingSafeEqual(await digest(given), await digest(secret)))
      throw new ApiError("unauthorized", "Send the admin secret as `Authorization: Bearer <secret>`.");
    await next();
  };
}
