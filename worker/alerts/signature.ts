import { base64url, fromBase64url, hex, hmacKey, utf8 } from "../auth/encoding";

/** Tolerated age of a webhook signature's timestamp at the receiver, against replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * `Edgedesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` — the timestamp is
 * signed with the body, so a receiver can refuse old or altered deliveries.
 */
export async function signWebhook(secret: string, body: string, nowSeconds: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), utf8(`${nowSeconds}.${body}`));
  return `t=${nowSeconds},v1=${hex(mac)}`;
}

/** What a receiver does with the header (the demo's pager and the tests use this). */
export async function verifyWebhook(
  secret: string,
  header: string | null,
  body: string,
  nowSeconds: number,
): Promise<boolean> {
  const parts = Object.fromEntries((header ?? "").split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1 ?? "";
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS || !/^[0-9a-f]{64}$/.test(v1))
    return false;
  const mac = new Uint8Array(v1.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify("HMAC", await hmacKey(secret), mac, utf8(`${t}.${body}`));
}

/** The `sig` of an alert's acknowledgement link: only we can make one, for that alert only. */
export async function ackSignature(serverSecret: string, tenantId: string, alertId: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(`ack:${serverSecret}`), utf8(`${tenantId}:${alertId}`));
  return base64url(new Uint8Array(mac));
}

export async function verifyAckSignature(
  serverSecret: string,
  tenantId: string,
  alertId: string,
  sig: string,
): Promise<boolean> {
  const mac = fromBase64url(sig);
  if (mac?.length !== 32) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(`ack:${serverSecret}`), mac, utf8(`${tenantId}:${alertId}`));
}
