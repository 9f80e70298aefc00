import type { MiddlewareHandler } from "hono";
import { isAdminSecret } from "../auth/admin-secret";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

/** The provider's admin API: `Authorization: Bearer <ADMIN_SECRET>`, compared in constant time. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    if (!c.env.ADMIN_SECRET)
      throw new ApiError("unauthorized", "The admin API is off: set ADMIN_SECRET with `wrangler secret put`.");
    if (!(await isAdminSecret(c.env, c.req.header("authorization"))))
      throw new ApiError("unauthorized", "Send the admin secret as `Authorization: Bearer <secret>`.");
    await next();
  };
}
