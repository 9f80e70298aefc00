const encoder = new TextEncoder();

export function utf8(s: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(s) as Uint8Array<ArrayBuffer>;
}

export function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Strict base64url decoding; returns null for anything that is not base64url. */
export function fromBase64url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((s.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  let out = "";
  for (const b of new Uint8Array(bytes)) out += HEX_DIGITS[b] ?? "";
  return out;
}

export async function sha256Hex(s: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", utf8(s)));
}

/**
 * Imported keys by algorithm and secret material, so a warm isolate imports each secret once, not
 * once per request. Keyed by the material itself (never by a key id, which tenants share); kept
 * as keys, not promises, so no request awaits another's work. Bounded; the oldest goes first.
 */
const importedKeys = new Map<string, CryptoKey>();
const IMPORTED_KEYS_MAX = 1000;

export async function importedKey(
  algorithm: "hmac" | "aes",
  material: string,
  make: () => Promise<CryptoKey>,
): Promise<CryptoKey> {
  const id = `${algorithm}:${material}`;
  const hit = importedKeys.get(id);
  if (hit) return hit;
  const key = await make();
  if (importedKeys.size >= IMPORTED_KEYS_MAX) importedKeys.delete(importedKeys.keys().next().value ?? "");
  importedKeys.set(id, key);
  return key;
}

/** An HMAC-SHA256 key from secret material (callers prefix it per use, so one secret yields unrelated keys). */
export function hmacKey(material: string): Promise<CryptoKey> {
  return importedKey("hmac", material, () =>
    crypto.subtle.importKey("raw", utf8(material), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
  );
}
