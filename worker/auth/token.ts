import { z } from "@hono/zod-openapi";
import { singleLine } from "../schemas/text";
import { base64url, fromBase64url, hmacKey, utf8 } from "./encoding";
import { deepFreeze } from "./frozen";

/** Tokens may be this far off our clock (exp, nbf, iat). */
export const CLOCK_SKEW_SECONDS = 60;
/** Host panels mint short-lived tokens; one that lives longer than this is refused. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export const Service = z
  .object({
    id: z.string().min(1).max(120),
    label: singleLine(1, 200),
    host: z.string().max(253).optional(),
  })
  .openapi("Service");
export type Service = z.infer<typeof Service>;

export const Role = z.enum(["customer", "agent", "admin"]);
export type Role = z.infer<typeof Role>;

/** The claims a host panel signs (SPEC "Identity"). */
export const EmbedClaims = z.object({
  iss: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  sub: z.string().min(1).max(200),
  email: z.email().max(254),
  name: singleLine(1, 120),
  role: Role,
  services: z.array(Service).max(200).default([]),
  exp: z.number(),
  iat: z.number().optional(),
  nbf: z.number().optional(),
});
export type EmbedClaims = z.infer<typeof EmbedClaims>;

const Header = z.object({ alg: z.string(), typ: z.string().optional(), kid: z.string().max(64).optional() });

export interface SigningKey {
  kid: string;
  secret: string;
}

export type TokenCheck = { ok: true; claims: EmbedClaims } | { ok: false; reason: string };

/** Strict UTF-8 (a malformed byte is an error, not U+FFFD); stateless, so one serves every request. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeJson(part: string): unknown {
  const bytes = fromBase64url(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return undefined;
  }
}

type Signed = { ok: true; claims: EmbedClaims } | { ok: false; reason: string };

/**
 * The token's signature against the active keys, then its claims' shape. Only HS256 is accepted
 * (never `none`); the signature is checked with WebCrypto's constant-time verify before any
 * claim is read.
 */
async function signedClaims(token: string, keys: readonly SigningKey[]): Promise<Signed> {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [h, p, s] = parts as [string, string, string];
  const header = Header.safeParse(decodeJson(h));
  if (!header.success) return { ok: false, reason: "unreadable token header" };
  if (header.data.alg !== "HS256") return { ok: false, reason: `algorithm ${header.data.alg} is not accepted` };
  const signature = fromBase64url(s);
  if (signature?.length !== 32) return { ok: false, reason: "bad signature" };

  const candidates = header.data.kid === undefined ? keys : keys.filter((k) => k.kid === header.data.kid);
  if (candidates.length === 0) return { ok: false, reason: "unknown key id" };
  const signed = utf8(`${h}.${p}`);
  let verified = false;
  for (const key of candidates) {
    if (await crypto.subtle.verify("HMAC", await hmacKey(key.secret), signature, signed)) {
      verified = true;
      break;
    }
  }
  if (!verified) return { ok: false, reason: "bad signature" };

  const claims = EmbedClaims.safeParse(decodeJson(p));
  if (!claims.success) return { ok: false, reason: "missing or malformed claims" };
  return { ok: true, claims: claims.data };
}

/** What signed claims must also say, now: audience, tenant, and the clock checks. */
function claimsCheck(c: EmbedClaims, tenantId: string, nowSeconds: number): TokenCheck {
  const audiences = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!audiences.includes("edgedesk")) return { ok: false, reason: "wrong audience" };
  if (c.iss !== tenantId) return { ok: false, reason: "token is for another tenant" };
  if (c.exp + CLOCK_SKEW_SECONDS <= nowSeconds) return { ok: false, reason: "token expired" };
  if (c.exp - nowSeconds > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
    return { ok: false, reason: "token lives too long; mint short-lived tokens" };
  if (c.nbf !== undefined && c.nbf - CLOCK_SKEW_SECONDS > nowSeconds)
    return { ok: false, reason: "token not valid yet" };
  if (c.iat !== undefined && c.iat - CLOCK_SKEW_SECONDS > nowSeconds)
    return { ok: false, reason: "token issued in the future" };
  return { ok: true, claims: c };
}

/**
 * Tokens whose signature and claims checked out, by their exact text, with the key list they
 * were checked against: a widget sends the same token with every request, and verifying it
 * once per isolate is enough. A hit needs that very list (the tenant cache's, which an admin
 * change or the 30 s bound replaces), so a revoked key's tokens are checked afresh; the clock
 * checks run on every use. Bounded; the oldest goes first.
 */
const verifiedTokens = new Map<string, { keys: readonly SigningKey[]; claims: EmbedClaims }>();
const VERIFIED_TOKENS_MAX = 1000;

/** Verifies a host-signed HS256 token for `tenantId` against the tenant's active keys. */
export async function verifyEmbedToken(
  token: string,
  tenantId: string,
  keys: readonly SigningKey[],
  nowSeconds: number,
): Promise<TokenCheck> {
  const known = verifiedTokens.get(token);
  if (known && known.keys === keys) return claimsCheck(known.claims, tenantId, nowSeconds);
  const signed = await signedClaims(token, keys);
  if (!signed.ok) return signed;
  const check = claimsCheck(signed.claims, tenantId, nowSeconds);
  if (check.ok) {
    verifiedTokens.delete(token);
    if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) verifiedTokens.delete(verifiedTokens.keys().next().value ?? "");
    verifiedTokens.set(token, { keys, claims: deepFreeze(signed.claims) });
  }
  return check;
}

/** Signs claims as a host panel would; used by the token CLI, the demo and tests. */
export async function signEmbedToken(claims: Record<string, unknown>, key: SigningKey): Promise<string> {
  const json = (v: unknown) => base64url(utf8(JSON.stringify(v)));
  const head = json({ alg: "HS256", typ: "JWT", kid: key.kid });
  const body = json(claims);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(key.secret), utf8(`${head}.${body}`)));
  return `${head}.${body}.${base64url(sig)}`;
}
