/**
 * Notification mail, composed as MIME by mimetext (plain text first, then a simple HTML
 * alternative): from the ticket's tenant (a reseller's tickets carry the reseller's name),
 * with our own Message-ID and a signed per-ticket Reply-To. Nothing secret ever goes in: the
 * payloads hold no sensitive field, and every mail says to send passwords through the panel.
 */
import { createMimeMessage, Mailbox } from "mimetext/browser";
import { unseal } from "../auth/seal";
import type { StoredNotification } from "../db/notifications";
import type { ExpectedResponse } from "../hours/calendar";
import type { Tenant } from "../schemas/tenant";
import { domainOf, notificationMessageId, replyAddress } from "./address";

export interface ComposedMail {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  replyTo: string | null;
  /** The plain-text body: kept, so a reply's quote of it can be recognised and removed. */
  text: string;
  raw: string;
}

export const NO_PASSWORDS = "Never send passwords by email: use the form in your control panel.";

/** Where mail for a tenant comes from and replies go to, or null when the tenant sends none. */
export function mailIdentity(tenant: Tenant): { fromAddress: string; fromName: string; replyDomain: string } | null {
  const settings = tenant.config.email;
  if (!settings.fromAddress) return null;
  return {
    fromAddress: settings.fromAddress,
    fromName: settings.fromName ?? `${tenant.config.branding.productName ?? tenant.name} Support`,
    replyDomain: settings.replyDomain ?? domainOf(settings.fromAddress),
  };
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Base64 of the UTF-8 bytes in 76-character lines: safe through any mail hop, whatever the script. */
function base64Body(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/.{76}/g, "$&\r\n");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** One paragraph per blank-line-separated block, line breaks kept, every character escaped. */
function toHtml(text: string): string {
  const body = text
    .split(/\n{2,}/)
    .map(
      (block) =>
        `<p${block.startsWith("-- \n") ? ' style="color:#6b7280"' : ""}>${escapeHtml(block).replace(/\n/g, "<br>")}</p>`,
    )
    .join("\n");
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;line-height:1.5;color:#1d2433">\n${body}\n</body></html>`;
}

/** A time as the customer reads it, in the tenant's zone. */
const localTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));

/** What the customer can expect, in words, with times in the tenant's zone. */
function expectation(expected: ExpectedResponse | undefined, timeZone: string): string {
  switch (expected?.kind) {
    case "business_hours":
      return "Our team is in and will answer during today's support hours.";
    case "on_call":
      return "It is outside support hours, so the on-call engineer has been alerted for this priority.";
    case "next_morning":
      return "We will answer when support opens tomorrow morning.";
    case "next_business_day": {
      if (!expected.opensAt) return "We will answer when support next opens.";
      return `We will answer when support opens: ${localTime(expected.opensAt, timeZone)}.`;
    }
    default:
      return "";
  }
}

interface Letter {
  subject: string;
  lines: string[];
  /** Replies go to the ticket (false for on-call alerts, which are acknowledged by link). */
  replyable: boolean;
}

function letter(n: StoredNotification, tenant: Tenant, closing: string, guestLink: string | null): Letter {
  const p = n.payload;
  const number = str(p.number);
  const subject = str(p.subject);
  const ticket = `ticket #${number}, "${subject}"`;
  const answer = ["Reply to this email to answer, or follow the ticket in your control panel.", NO_PASSWORDS];
  switch (n.kind) {
    case "ticket_received":
      return {
        subject: `[#${number}] ${subject}`,
        lines: [
          `We received your ${ticket}.`,
          expectation(p.expected as ExpectedResponse | undefined, tenant.config.timeZone),
          ...(guestLink
            ? [
                `Follow your ticket here (keep this link to yourself: anyone with it can read the ticket):\n${guestLink}`,
              ]
            : []),
          ["Reply to this email to add to it, or follow the ticket in your control panel.", NO_PASSWORDS].join("\n"),
          closing,
        ],
        replyable: true,
      };
    case "agent_replied":
      return {
        subject: `Re: [#${number}] ${subject}`,
        lines: [`${str(p.agentName)} replied to your ${ticket}:`, str(p.body), answer.join("\n"), closing],
        replyable: true,
      };
    case "closing_soon":
      return {
        subject: `[#${number}] ${subject}: closing soon`,
        lines: [
          `We answered your ${ticket}, and have not heard back.`,
          `It will be closed automatically on ${localTime(str(p.closesAt), tenant.config.timeZone)} unless you reply. If the problem is solved, there is nothing to do.`,
          answer.join("\n"),
          closing,
        ],
        replyable: true,
      };
    case "auto_closed":
      return {
        subject: `[#${number}] ${subject}: closed`,
        lines: [
          `Your ${ticket} was closed automatically after ${str(p.hours)} hours without a reply.`,
          "Reply to this email, or in your control panel, to re-open it.",
          NO_PASSWORDS,
          closing,
        ],
        replyable: true,
      };
    case "alert": {
      // A test page from the settings (settings/test-page.ts): about no ticket.
      if (p.trigger === "test_page")
        return {
          subject: `Test page from ${tenant.name}`,
          lines: [
            `${str(p.sentBy)} sent this test page from the desk's settings, to check that alerts reach you. Nothing needs doing.`,
            closing,
          ],
          replyable: false,
        };
      const t = (p.ticket ?? {}) as Record<string, unknown>;
      return {
        subject: `[${str(t.priority).toUpperCase()}] After-hours ticket #${str(t.number)}: ${str(t.subject)}`,
        lines: [
          `An ${str(t.priority)} ticket needs someone outside support hours (${str(p.trigger).replaceAll("_", " ")}).`,
          `Ticket #${str(t.number)}, "${str(t.subject)}", department ${str(t.department)}, status ${str(t.status)}.`,
          `Acknowledge it, so that nobody else is paged:\n${str(p.acknowledgeUrl)}`,
          closing,
        ],
        replyable: false,
      };
    }
  }
}

export async function composeNotification(
  n: StoredNotification,
  context: { tenant: Tenant; secret: string; now: number },
): Promise<ComposedMail | null> {
  const identity = mailIdentity(context.tenant);
  if (!identity) return null;
  const sealedLink = n.payload.sealedGuestLink;
  const guestLink =
    typeof sealedLink === "string" && n.ticketId
      ? await unseal(context.secret, sealedLink, `guest-link:${n.ticketId}`)
      : null;
  const { subject, lines, replyable } = letter(n, context.tenant, `-- \n${identity.fromName}`, guestLink);
  const text = `${lines.filter(Boolean).join("\n\n")}\n`;
  const messageId = notificationMessageId(n.id, identity.replyDomain);
  const replyTo =
    replyable && n.ticketId
      ? await replyAddress(context.secret, context.tenant.id, n.ticketId, identity.replyDomain)
      : null;

  const mail = createMimeMessage();
  mail.setSender({ name: identity.fromName, addr: identity.fromAddress });
  mail.setRecipient(n.recipient);
  mail.setSubject(subject);
  mail.setHeader("Message-ID", messageId);
  mail.setHeader("Date", new Date(context.now).toUTCString());
  if (replyTo) mail.setHeader("Reply-To", new Mailbox({ name: identity.fromName, addr: replyTo }));
  // RFC 3834: machine-made; well-behaved auto-responders do not answer it (no mail loops).
  mail.setHeader("Auto-Submitted", "auto-generated");
  mail.setHeader("X-Auto-Response-Suppress", "All");
  mail.setHeader("X-Edgedesk-Notification", n.kind);
  mail.addMessage({ contentType: "text/plain", encoding: "base64", data: base64Body(text) });
  mail.addMessage({ contentType: "text/html", encoding: "base64", data: base64Body(toHtml(text)) });
  return { from: identity.fromAddress, to: n.recipient, subject, messageId, replyTo, text, raw: mail.asRaw() };
}
