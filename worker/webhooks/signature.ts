/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): every delivery carries
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated
 * list of `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per secret that signs.
 * A secret is `whsec_` and the base64 of its key bytes, so receivers can use the Standard
 * Webhooks libraries as they are.
 */
import { utf8 } from "../auth/encoding";

const PREFIX = "whsec_";
const KEY_BYTES = 32;

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return PREFIX + base64(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

/** The key bytes of a `whsec_` secret. */
function keyOf(secret: string): Uint8Array<ArrayBuffer> {
  const bin = atob(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
  const key = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) key[i] = bin.charCodeAt(i);
  return key;
}

/** `v1,<signature>` for each secret, space-separated: the `webhook-signature` header. */
export async function signStandardWebhook(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const content = utf8(`${id}.${timestampSeconds}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", keyOf(secret), { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
      ]);
      return `v1,${base64(new Uint8Array(await crypto.subtle.sign("HMAC", key, content)))}`;
    }),
  );
  return signatures.join(" ");
}

/** The three headers of a delivery. */
export async function standardWebhookHeaders(
  secrets: readonly string[],
  id: string,
  nowMs: number,
  body: string,
): Promise<Record<string, string>> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signStandardWebhook(secrets, id, timestamp, body),
  };
}
