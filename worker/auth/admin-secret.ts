import type { Env } from "../env";
import { utf8 } from "./encoding";

async function digest(s: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", utf8(s));
}

/**
 * Whether an Authorization header is `Bearer <ADMIN_SECRET>` (the provider's operator secret),
 * compared in constant time: comparing digests keeps the lengths equal, so timing says nothing.
 */
export async function isAdminSecret(env: Env, header: string | undefined): Promise<boolean> {
  const secret = env.ADMIN_SECRET;
  if (!secret) return false;
  const given = /^Bearer (\S+)$/.exec(header ?? "")?.[1] ?? "";
  return crypto.subtle.timingSafeEqual(await digest(given), await digest(secret));
}
