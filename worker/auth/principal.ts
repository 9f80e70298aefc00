import type { Context } from "hono";
import type { AppEnv } from "../context";
import { readTicketByGuestKey, type Ticket } from "../db/tickets";
import { ApiError } from "../errors";
import { clientIp, enforceLimits } from "../limits";
import { sha256Hex } from "./encoding";
import { admitStaff } from "./staff-directory";
import { type Role, type Service, verifyEmbedToken } from "./token";

/** Who is asking: a signed-in panel user, or a guest holding one ticket's access key. */
export type Principal =
  | {
      kind: "user";
      tenantId: string;
      id: string;
      email: string;
      name: string;
      role: Role;
      services: Service[];
    }
  | {
      kind: "guest";
      tenantId: string;
      /** The one ticket this key opens. */
      ticketId: string;
      id: string;
      email: string;
      name: string;
    };

export function isStaff(p: Principal): boolean {
  return p.kind === "user" && (p.role === "agent" || p.role === "admin");
}

const unauthorized = (detail: string) => new ApiError("unauthorized", detail);

/** Each request's caller, resolved once: the rate limit and the handler both ask. */
const resolved = new WeakMap<Request, Promise<Principal | null>>();

/**
 * Resolves the caller from the Authorization header (`Bearer <jwt>` or `Key <accessKey>`),
 * for the tenant in the path. Returns null when no credentials were sent at all.
 */
export function authenticate(c: Context<AppEnv>): Promise<Principal | null> {
  let who = resolved.get(c.req.raw);
  if (!who) {
    who = resolveCaller(c);
    resolved.set(c.req.raw, who);
  }
  return who;
}

async function resolveCaller(c: Context<AppEnv>): Promise<Principal | null> {
  const header = c.req.header("authorization");
  if (header === undefined) return null;
  const tenant = c.get("tenant");
  const match = /^(Bearer|Key) +(\S+)$/i.exec(header.trim());
  if (!match) throw unauthorized("Send `Authorization: Bearer <token>` or `Authorization: Key <access key>`.");
  const [, scheme, credential] = match as unknown as [string, string, string];

  if (scheme.toLowerCase() === "key") {
    const ticket = await readTicketByGuestKey(c.env.DB, tenant.id, await sha256Hex(credential));
    if (!ticket) {
      // Guessing keys costs: past the tenant's limit of wrong keys per client IP, a 429 instead of a 401.
      const ip = clientIp(c.req.raw);
      if (ip) await enforceLimits(c.env, tenant, [{ limit: "wrongKeysPerIp", subject: `ip:${ip}` }]);
      throw unauthorized("This access key is not valid.");
    }
    return guestOf(ticket);
  }

  const check = await verifyEmbedToken(credential, tenant.id, c.get("signingKeys"), Math.floor(Date.now() / 1000));
  if (!check.ok) throw unauthorized(`The token was refused: ${check.reason}.`);
  const { claims } = check;
  // Staff only (customers pay nothing for it): the directory knows them, and a deactivated one is refused here, on every route.
  if (claims.role === "agent" || claims.role === "admin")
    await admitStaff(c.env.DB, {
      tenantId: tenant.id,
      id: claims.sub,
      name: claims.name,
      email: claims.email,
      role: claims.role,
      now: Date.now(),
    });
  return {
    kind: "user",
    tenantId: tenant.id,
    id: claims.sub,
    email: claims.email,
    name: claims.name,
    role: claims.role,
    services: claims.services,
  };
}

/** The guest a ticket's access key opens. */
function guestOf(ticket: Ticket): Principal {
  return {
    kind: "guest",
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    id: ticket.requesterId,
    email: ticket.requesterEmail,
    name: ticket.requesterName,
  };
}

/**
 * The hash of the guest access key the request sends (`Authorization: Key …`) while its caller is
 * not resolved yet; null for other credentials. A read that checks the key itself (the ticket
 * view, with sight "key": one round trip instead of two) names the guest with `settleGuest` when
 * it finds the ticket, or calls `requirePrincipal` when not (401, counted against wrong keys).
 */
export async function unresolvedGuestKey(c: Context<AppEnv>): Promise<string | null> {
  if (resolved.has(c.req.raw)) return null;
  const match = /^Key +(\S+)$/i.exec(c.req.header("authorization")?.trim() ?? "");
  return match?.[1] ? sha256Hex(match[1]) : null;
}

/** The guest whose key opened `ticket` (read with sight "key"): the request's caller from now on. */
export function settleGuest(c: Context<AppEnv>, ticket: Ticket): Principal {
  const who = guestOf(ticket);
  resolved.set(c.req.raw, Promise.resolve(who));
  return who;
}

export async function requirePrincipal(c: Context<AppEnv>): Promise<Principal> {
  const principal = await authenticate(c);
  if (!principal) throw unauthorized("Sign in through your control panel, or use your ticket's access link.");
  return principal;
}
