import { z } from "@hono/zod-openapi";
import { singleLine } from "../schemas/text";
import { base64url, fromBase64url, utf8 } from "./encoding";

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

function decodeJson(part: string): unknown {
  const bytes = fromBase64url(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return undefined;
  }
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/**
 * Verifies a host-signed HS256 token for `tenantId` against the tenant's active keys.
 * Only HS256 is accepted (never `none`); the signature is checked with WebCrypto's
 * constant-time verify before any claim is trusted.
 */
export async function verifyEmbedToken(
  token: string,
  tenantId: string,
  keys: readonly SigningKey[],
  nowSeconds: number,
): Promise<TokenCheck> {
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
  const c = claims.data;
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

/** Signs claims as a host panel would; used by the token CLI, the demo and tests. */
export async function signEmbedToken(claims: Record<string, unknown>, key: SigningKey): Promise<string> {
  const json = (v: unknown) => base64url(utf8(JSON.stringify(v)));
  const head = json({ alg: "HS256", typ: "JWT", kid: key.kid });
  const body = json(claims);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(key.secret), utf8(`${head}.${body}`)));
  return `${head}.${body}.${base64url(sig)}`;
}
