/**
 * Our mail addresses and message ids. A notification's Reply-To names its ticket and carries a
 * MAC, so a reply finds its ticket without trusting anything else in the mail, and nobody can
 * make up an address for someone else's ticket:
 *   support+<ticket id, 32 hex>.<HMAC-SHA256 of tenant and ticket, first 80 bits, hex>@<reply domain>
 * (61 characters before the @, within the 64 that SMTP allows; lower case, since some mail
 * systems fold the case of local parts).
 */
import { hex, hmacKey, utf8 } from "../auth/encoding";

const MAC_HEX = 20;

async function replyMac(secret: string, tenantId: string, ticketId: string): Promise<string> {
  return hex(
    await crypto.subtle.sign("HMAC", await hmacKey(`reply-address:${secret}`), utf8(`${tenantId}:${ticketId}`)),
  ).slice(0, MAC_HEX);
}

const compact = (uuid: string) => uuid.replaceAll("-", "").toLowerCase();
const uuidOf = (hex32: string) =>
  `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;

export async function replyAddress(
  secret: string,
  tenantId: string,
  ticketId: string,
  domain: string,
): Promise<string> {
  return `support+${compact(ticketId)}.${await replyMac(secret, tenantId, ticketId)}@${domain.toLowerCase()}`;
}

export type ReplyAddressCheck =
  | { kind: "ticket"; ticketId: string; tenantId: string }
  | { kind: "forged" }
  | { kind: "plain" };

/**
 * What the recipient address says: a ticket (MAC checked in constant time, for the tenant the
 * ticket belongs to), an address that looks like ours but is not (`forged`), or a plain address
 * with no ticket in it (`plain`, e.g. support@ for a new ticket).
 */
export async function checkReplyAddress(
  secret: string,
  address: string,
  tenantOf: (ticketId: string) => Promise<string | null>,
): Promise<ReplyAddressCheck> {
  const local = address.toLowerCase().split("@")[0] ?? "";
  const plus = local.indexOf("+");
  if (plus < 0) return { kind: "plain" };
  const tag = local.slice(plus + 1);
  // Only a tag shaped like ours claims a ticket; any other (support+urgent@) is a plain address.
  if (!/^[0-9a-f]{32}(\.|$)/.test(tag)) return { kind: "plain" };
  const match = /^([0-9a-f]{32})\.([0-9a-f]{20})$/.exec(tag);
  if (!match) return { kind: "forged" };
  const ticketId = uuidOf(match[1]!);
  const tenantId = await tenantOf(ticketId);
  // Compute a MAC even for an unknown ticket, so timing says nothing about which tickets exist.
  const expected = utf8(await replyMac(secret, tenantId ?? "", ticketId));
  const given = utf8(match[2]!);
  const same = crypto.subtle.timingSafeEqual(expected, given);
  return tenantId !== null && same ? { kind: "ticket", ticketId, tenantId } : { kind: "forged" };
}

/** Our Message-ID for a notification: unique, and recognisable in In-Reply-To and References. */
export function notificationMessageId(notificationId: string, domain: string): string {
  return `<edgedesk.${notificationId}@${domain.toLowerCase()}>`;
}

export function isOurMessageId(id: string): boolean {
  return id.startsWith("<edgedesk.");
}

/** Every message id in In-Reply-To/References headers, angle brackets kept. */
export function messageIdsIn(...headers: (string | undefined)[]): string[] {
  return headers.flatMap((h) => h?.match(/<[^<>\s]+>/g) ?? []);
}

export function domainOf(address: string): string {
  return (address.split("@").pop() ?? "").toLowerCase();
}
