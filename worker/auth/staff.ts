import type { Context } from "hono";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { type Principal, requirePrincipal } from "./principal";

/** A signed-in agent or admin of the tenant in the path. */
export type Staff = Extract<Principal, { kind: "user" }> & { role: "agent" | "admin" };

/**
 * The caller of a console route: staff of this tenant, else 404 (a customer or guest learns
 * nothing of the console's routes). Staff are added to the `agents` directory, and a deactivated
 * one is refused with 403, where every request's caller is resolved (principal.ts → admitStaff in
 * staff-directory.ts): so on the ticket routes too, and within STAFF_CACHE_MS of the deactivation.
 */
export async function requireStaff(c: Context<AppEnv>): Promise<Staff> {
  const who = await requirePrincipal(c);
  if (who.kind !== "user" || (who.role !== "agent" && who.role !== "admin"))
    throw new ApiError("not_found", "There is nothing at this address.");
  return who as Staff;
}

/** The caller of a settings route: an admin of this tenant (an agent gets 403). */
export async function requireAdmin(c: Context<AppEnv>): Promise<Staff> {
  const who = await requireStaff(c);
  if (who.role !== "admin") throw new ApiError("forbidden", "Only an admin of this desk can do that.");
  return who;
}
