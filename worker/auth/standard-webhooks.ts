/**
 * Standard Webhooks (https://www.standardwebhooks.com), both ends, self-contained: the secret is
 * `whsec_` + base64 of the key bytes; the signature is `v1,` + base64 HMAC-SHA256 of
 * `{webhook-id}.{webhook-timestamp}.{body}` with those bytes; `webhook-signature` may carry several
 * (space-separated, e.g. during a key rotation) and one matching is enough; the timestamp (unix
 * seconds) must be within 5 minutes of now either way. What the reference libraries do, so a sender
 * using them is accepted here and a receiver using them accepts what `signStandardWebhook` makes.
 * Replays within the window are the receiver's to refuse: it remembers the `webhook-id`.
 */
import { importedKey, utf8 } from "./encoding";

/** How far a `webhook-timestamp` may be from now, either way. */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 300;

const PREFIX = "whsec_";

/** A type rather than an interface, so that it is also a `Record<string, string>` (fetch's headers). */
export type StandardWebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** Why a delivery was refused; `ok: true` carries its id and timestamp (for the replay check). */
export type StandardWebhookVerdict =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: "missing_headers" | "bad_secret" | "stale_timestamp" | "bad_signature" };

/** Strict standard base64 (padded); null for anything else. */
function fromBase64(b64: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function base64(bytes: ArrayBuffer | Uint8Array): string {
  let bin = "";
  for (const b of new Uint8Array(bytes)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The key bytes of a `whsec_…` secret (the prefix is optional, as in the reference libraries); null if not base64. */
function keyBytes(secret: string): Uint8Array<ArrayBuffer> | null {
  const key = fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
  return key && key.length >= 16 ? key : null;
}

async function hmac(key: Uint8Array<ArrayBuffer>, secret: string): Promise<CryptoKey> {
  return importedKey("hmac", `standard-webhooks:${secret}`, () =>
    crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
  );
}

/** A new secret: 32 random bytes, `whsec_` + base64. */
export function newStandardWebhookSecret(): string {
  return PREFIX + base64(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether a string is a usable secret (`whsec_` + base64 of at least 16 bytes). */
export function isStandardWebhookSecret(secret: string): boolean {
  return secret.startsWith(PREFIX) && keyBytes(secret) !== null;
}

/**
 * The three headers of a delivery of `body` under `id` at `nowMs`: one `v1,` signature per secret,
 * space-separated (an endpoint whose secret is being rotated gets the new and the old one).
 */
export async function signStandardWebhook(
  secrets: string | readonly string[],
  id: string,
  body: string,
  nowMs: number,
): Promise<StandardWebhookHeaders> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const signed = utf8(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    (typeof secrets === "string" ? [secrets] : secrets).map(async (secret) => {
      const key = keyBytes(secret);
      if (!key) throw new Error("not a Standard Webhooks secret (whsec_ + base64)");
      return `v1,${base64(await crypto.subtle.sign("HMAC", await hmac(key, secret), signed))}`;
    }),
  );
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signatures.join(" ") };
}

/**
 * Checks a delivery: the headers are there, the timestamp is within the tolerance of `nowMs`, and
 * one `v1,` signature is the HMAC of `{id}.{timestamp}.{body}` (compared in constant time by
 * `crypto.subtle.verify`). `body` is the raw text as received, before any parsing.
 */
export async function verifyStandardWebhook(
  secret: string,
  headers: Pick<Headers, "get">,
  body: string,
  nowMs: number,
): Promise<StandardWebhookVerdict> {
  const id = headers.get("webhook-id") ?? "";
  const stamp = headers.get("webhook-timestamp") ?? "";
  const signatures = headers.get("webhook-signature") ?? "";
  if (!id || !/^\d{1,12}$/.test(stamp) || !signatures) return { ok: false, reason: "missing_headers" };
  const key = keyBytes(secret);
  if (!key) return { ok: false, reason: "bad_secret" };
  const timestamp = Number(stamp);
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > STANDARD_WEBHOOK_TOLERANCE_SECONDS)
    return { ok: false, reason: "stale_timestamp" };
  const cryptoKey = await hmac(key, secret);
  const signed = utf8(`${id}.${stamp}.${body}`);
  for (const candidate of signatures.split(" ")) {
    const [version, sig] = candidate.split(",", 2);
    if (version !== "v1" || !sig) continue;
    const mac = fromBase64(sig);
    if (mac?.length === 32 && (await crypto.subtle.verify("HMAC", cryptoKey, mac, signed)))
      return { ok: true, id, timestamp };
  }
  return { ok: false, reason: "bad_signature" };
}
