/**
 * Download links for attachments. A browser follows an <a href> or loads an <img src> without
 * our Authorization header, so the ticket view hands out links that carry their own proof: an
 * HMAC over tenant, attachment, disposition and expiry, made with a server secret. Only someone
 * who could read the ticket ever receives one, and it stops working at `exp`.
 */
import { base64url, fromBase64url, hmacKey, utf8 } from "../auth/encoding";

/** A link lives this long at least; expiries are rounded up to the hour so the same link (and the browser's cached copy) serves a whole hour. */
const LINK_SECONDS = 3600;

/** What a link opens: the file as a download, the file inline (PNG/JPEG), or its thumbnail. */
export type Disposition = "attachment" | "inline" | "thumbnail";

const key = (serverSecret: string) => hmacKey(`attachment-link:${serverSecret}`);

const payload = (tenantId: string, id: string, disposition: Disposition, exp: number) =>
  utf8(`${tenantId}:${id}:${disposition}:${exp}`);

/**
 * Makes `/api/v1/{tenant}/attachments/{id}?exp=…&sig=…` links (plus `&inline=1` to show the file
 * inline; `/attachments/{id}/thumbnail?…` for its thumbnail),
 * absolute on `origin`, for one ticket view: the key is imported once for all its files.
 */
export async function linkSigner(
  serverSecret: string,
  origin: string,
  tenantId: string,
  nowMs: number,
): Promise<(id: string, disposition: Disposition) => Promise<string>> {
  const signing = await key(serverSecret);
  const exp = (Math.floor(nowMs / 1000 / LINK_SECONDS) + 2) * LINK_SECONDS;
  return async (id, disposition) => {
    const mac = await crypto.subtle.sign("HMAC", signing, payload(tenantId, id, disposition, exp));
    const params = new URLSearchParams({ exp: String(exp), sig: base64url(new Uint8Array(mac)) });
    if (disposition === "inline") params.set("inline", "1");
    const path = `/api/v1/${encodeURIComponent(tenantId)}/attachments/${encodeURIComponent(id)}`;
    return `${origin}${path}${disposition === "thumbnail" ? "/thumbnail" : ""}?${params}`;
  };
}

export async function verifyLink(
  serverSecret: string,
  tenantId: string,
  id: string,
  disposition: Disposition,
  exp: number,
  sig: string,
  nowMs: number,
): Promise<boolean> {
  if (!Number.isSafeInteger(exp) || exp * 1000 < nowMs) return false;
  const mac = fromBase64url(sig);
  if (mac?.length !== 32) return false;
  return crypto.subtle.verify("HMAC", await key(serverSecret), mac, payload(tenantId, id, disposition, exp));
}
