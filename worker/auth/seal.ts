import { ApiError } from "../errors";
import { base64url, fromBase64url, importedKey, utf8 } from "./encoding";

/**
 * AES-256-GCM for secrets we must keep but never show again (the sensitive field, a guest's
 * access key for an idempotent replay). `context` is bound as associated data, so a sealed
 * value copied onto another row does not open there.
 */
function keyFrom(material: string | undefined): Promise<CryptoKey> {
  const secret = checkedSecret(material);
  return importedKey("aes", secret, async () => {
    const raw = await crypto.subtle.digest("SHA-256", utf8(secret));
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  });
}

function checkedSecret(material: string | undefined): string {
  if (!material || material.length < 16) {
    console.error("SECRETS_KEY is not set (wrangler secret put SECRETS_KEY)");
    throw new ApiError("internal", "This service is not fully configured.");
  }
  return material;
}

/** SECRETS_KEY, for the HMACs of links and reply addresses; refuses to work with none rather than sign with "". */
export function serverSecret(env: { SECRETS_KEY?: string }): string {
  return checkedSecret(env.SECRETS_KEY);
}

export async function seal(material: string | undefined, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await keyFrom(material);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(context) }, key, utf8(plaintext));
  return `v1.${base64url(iv)}.${base64url(new Uint8Array(ct))}`;
}

export async function unseal(material: string | undefined, sealed: string, context: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  const ivBytes = fromBase64url(iv ?? "");
  const ctBytes = fromBase64url(ct ?? "");
  if (version !== "v1" || !ivBytes || !ctBytes) throw new ApiError("internal", "Stored secret is unreadable.");
  const key = await keyFrom(material);
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: ivBytes, additionalData: utf8(context) }, key, ctBytes);
  return new TextDecoder().decode(pt);
}
