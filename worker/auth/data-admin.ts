import type { Context } from "hono";
import type { AppEnv } from "../context";
import { isAdminSecret } from "./admin-secret";
import { requireAdmin } from "./staff";

/** Who acts on people's data, as the audit log names them. */
export interface DataAdmin {
  id: string;
  name: string;
}

/** The provider's operator, acting with ADMIN_SECRET (the CLI): named so in the tenant's audit log. */
export const OPERATOR: DataAdmin = { id: "operator", name: "Provider (admin API)" };

/**
 * The caller of a people's-data route (export, erasure, the tenant's export): the tenant's own
 * admin (an embed token with `role: admin`: the desk that answers to the person is the one that
 * handles their request), or the provider's operator with ADMIN_SECRET, for the CLI and for a
 * tenant that is leaving. An agent gets 403, a customer or guest 404 (auth/staff.ts).
 */
export async function requireDataAdmin(c: Context<AppEnv>): Promise<DataAdmin> {
  if (await isAdminSecret(c.env, c.req.header("authorization"))) return OPERATOR;
  const who = await requireAdmin(c);
  return { id: who.id, name: who.name };
}
