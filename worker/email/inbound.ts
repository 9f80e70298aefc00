/**
 * Mail in (Email Workers): a reply to a notification becomes a message on its ticket; mail to a
 * tenant's address with no ticket in it can open one. Only the ticket's requester may reply;
 * auto-replies, bounces and our own mail coming back are dropped without a word (a rejection
 * would itself be mail, and could loop). A rejection is only ever for a permanent cause; any
 * other failure throws, so the mail is retried.
 */

import { z } from "@hono/zod-openapi";
import PostalMime, { type Email } from "postal-mime";
import { rawMailKey, storeFile } from "../attachments/service";
import type { Principal } from "../auth/principal";
import { serverSecret } from "../auth/seal";
import { inboundMailSeen, insertInboundMail } from "../db/inbound-mail";
import { sentTexts, ticketOfMessageIds } from "../db/notifications";
import { uniqueViolation } from "../db/sql";
import { readTenant, readTenantByMailDomain } from "../db/tenants";
import { readTicket, type Ticket, tenantOfTicket } from "../db/tickets";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { secondsOverLimits } from "../limits";
import type { Tenant } from "../schemas/tenant";
import { createTicket } from "../tickets/create";
import { addMessage } from "../tickets/reply";
import { checkReplyAddress, domainOf, isOurMessageId, messageIdsIn } from "./address";
import { mentionsPassword } from "./password";
import { extractReply } from "./reply-text";

/** Runs of C0 controls and DEL, which a subject line shows as nothing. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/** What the Worker's email() handler is given (ForwardableEmailMessage), as far as we use it. */
export interface InboundMessage {
  readonly from: string;
  readonly to: string;
  readonly raw: ReadableStream<Uint8Array>;
  setReject(reason: string): void;
}

export type InboundOutcome =
  | { kind: "added"; ticketId: string; messageId: string; tenantId: string; version: number }
  | { kind: "created"; ticketId: string; tenantId: string }
  | { kind: "duplicate" }
  | { kind: "dropped"; reason: string }
  | { kind: "rejected"; reason: string };

const header = (mail: Email, name: string) => mail.headers.find((h) => h.key === name)?.value;

/** Machine-made mail that must never become a message: RFC 3834, the usual vendor headers, DSNs, our own. */
function automatic(message: InboundMessage, mail: Email): string | null {
  const envelopeFrom = message.from.trim();
  if (envelopeFrom === "" || envelopeFrom === "<>") return "a bounce (null sender)";
  if (
    /^(mailer-daemon|postmaster)@/i.test(envelopeFrom) ||
    /^(mailer-daemon|postmaster)@/i.test(mail.from?.address ?? "")
  )
    return "a bounce";
  const auto = header(mail, "auto-submitted");
  if (auto && auto.trim().toLowerCase() !== "no") return `Auto-Submitted: ${auto.trim()}`;
  if (/^(bulk|junk|list|auto_reply)$/i.test(header(mail, "precedence")?.trim() ?? "")) return "bulk or list mail";
  if (header(mail, "x-autoreply") !== undefined || header(mail, "x-autorespond") !== undefined) return "an auto-reply";
  if (/multipart\/report/i.test(header(mail, "content-type") ?? "")) return "a delivery report";
  if (header(mail, "x-edgedesk-notification")) return "our own notification";
  return null;
}

/** A ticket's subject from a mail's: one line, within the API's 3 to 200 characters. */
function subjectOf(mail: Email): string {
  const line = (mail.subject ?? "").replace(CONTROL_RUNS, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return line.length >= 3 ? line : "Email to support";
}

/** The person a reply speaks for: the ticket's requester, as the ticket service knows them. */
function requesterOf(ticket: Ticket): Principal {
  return ticket.requesterKind === "guest"
    ? {
        kind: "guest",
        tenantId: ticket.tenantId,
        ticketId: ticket.id,
        id: ticket.requesterId,
        email: ticket.requesterEmail,
        name: ticket.requesterName,
      }
    : {
        kind: "user",
        tenantId: ticket.tenantId,
        id: ticket.requesterId,
        email: ticket.requesterEmail,
        name: ticket.requesterName,
        role: "customer",
        services: [],
      };
}

export async function receiveMail(env: Env, message: InboundMessage, now: number): Promise<InboundOutcome> {
  const secret = serverSecret(env);
  const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
  const mail = await PostalMime.parse(raw);
  const reject = (reason: string): InboundOutcome => {
    message.setReject(reason);
    return { kind: "rejected", reason };
  };

  const machine = automatic(message, mail);
  if (machine) return { kind: "dropped", reason: machine };
  if (!mail.messageId) return reject("A message without a Message-ID cannot be taken.");

  // Which tenant and ticket: the signed reply address first, else our Message-ID in the thread
  // headers, looked up within the tenant the mail was sent to (never across tenants).
  const address = await checkReplyAddress(secret, message.to, (id) => tenantOfTicket(env.DB, id));
  if (address.kind === "forged") return reject("This reply address is not valid for any ticket.");
  let tenant: Tenant | null;
  let ticket: Ticket | null = null;
  if (address.kind === "ticket") {
    tenant = await readTenant(env.DB, address.tenantId);
    ticket = tenant && (await readTicket(env.DB, tenant.id, address.ticketId));
  } else {
    tenant = await readTenantByMailDomain(env.DB, domainOf(message.to));
    if (!tenant) return reject("There is no support desk at this address.");
    const thread = messageIdsIn(mail.inReplyTo, mail.references);
    const threadTicket = await ticketOfMessageIds(env.DB, tenant.id, thread);
    // Naming one of our messages that this desk never sent: another tenant's thread, or made up.
    if (!threadTicket && thread.some(isOurMessageId))
      return reject("This mail refers to a conversation this support desk does not know.");
    ticket = threadTicket ? await readTicket(env.DB, tenant.id, threadTicket) : null;
  }
  if (!tenant) return reject("There is no support desk at this address.");

  const from = (mail.from?.address ?? "").toLowerCase();
  if (!z.email().max(254).safeParse(from).success) return reject("The mail's From is not a valid address.");
  if (ticket && from !== ticket.requesterEmail.toLowerCase()) {
    return reject("Only the person who filed this ticket can reply to it by email.");
  }
  if (!ticket && !tenant.config.email.newTicketsByEmail) {
    return reject("This address takes replies to tickets only: please file a ticket in your control panel.");
  }
  const wait = await secondsOverLimits(env, tenant, [{ limit: "mailPerSender", subject: `email:${from}` }]);
  if (wait > 0) {
    // Refused at SMTP time, so the sending server tells its sender; nothing is stored.
    console.warn(`inbound mail from ${from} to tenant ${tenant.id} refused: over the sender's rate limit`);
    return reject(`Too many messages from this address; try again in ${wait} seconds.`);
  }

  const rcpt = message.to.toLowerCase();
  // One mail per ticket, whichever of its addresses (To, Cc) brought it.
  if (await inboundMailSeen(env.DB, tenant.id, mail.messageId, ticket?.id ?? null)) return { kind: "duplicate" };

  // The text: quotes of what we sent, attribution lines and signatures removed.
  const reply = extractReply(
    { ...(mail.text !== undefined && { text: mail.text }), ...(mail.html !== undefined && { html: mail.html }) },
    ticket ? await sentTexts(env.DB, ticket.id) : [],
  );
  const uploader = `email:${from}`;
  const { accepted, refused } = await storeAttachments(env, tenant, ticket?.id ?? null, uploader, mail, now);
  let body = reply.text;
  if (refused.length)
    body += `\n\n[Attachments not accepted: ${refused.map((r) => `${r.name} (${r.reason})`).join("; ")}]`;
  if (!body.trim()) body = accepted.length ? "(files attached)" : "(empty message)";

  const rawId = crypto.randomUUID();
  const rawKey = rawMailKey(tenant.id, ticket?.id ?? "new", rawId);
  await env.FILES.put(rawKey, raw, { httpMetadata: { contentType: "message/rfc822" } });
  const warning = mentionsPassword(reply.text) ? "password" : null;
  // Written in the message's change: a second delivery of the mail to this ticket fails it on the unique key, and is a duplicate.
  const messageId = mail.messageId;
  const record = (outcome: "added" | "created", ticketId: string | null) => [
    insertInboundMail(env.DB, { tenantId: tenant.id, messageId, rcpt, ticketId, outcome, rawKey, createdAt: now }),
  ];

  try {
    if (ticket) {
      const added = await addMessage(
        env,
        tenant,
        requesterOf(ticket),
        ticket.id,
        { body: body.slice(0, 20_000), internal: false, attachmentIds: accepted },
        now,
        {
          source: "email",
          rawKey,
          warning,
          uploader,
          extra: record("added", ticket.id),
        },
      );
      return {
        kind: "added",
        ticketId: ticket.id,
        messageId: added.message.id,
        tenantId: tenant.id,
        version: added.ticket.version,
      };
    }
    const localPart = message.to.toLowerCase().split("@")[0]!.split("+")[0]!;
    const department = tenant.config.email.departmentsByAddress[localPart] ?? tenant.config.departments[0]!.id;
    const created = await createTicket(
      env,
      tenant,
      null,
      {
        department,
        subject: subjectOf(mail),
        message: body.slice(0, 20_000),
        priority: "medium",
        fields: {},
        guest: { name: (mail.from?.name || from).slice(0, 120), email: from },
        attachmentIds: accepted,
      },
      undefined,
      now,
      { source: "email", rawKey, warning, uploader, extra: record("created", null) },
    );
    return { kind: "created", ticketId: created.ticket.id, tenantId: created.ticket.tenantId };
  } catch (error) {
    await env.FILES.delete(rawKey);
    if (uniqueViolation(error) === "inbound_mail") return { kind: "duplicate" };
    if (error instanceof ApiError && error.status < 500 && error.code !== "conflict")
      return reject(`The message could not be added: ${error.message}`);
    throw error;
  }
}

/** Each attachment through the same checks as an upload; refusals are named, never dropped. */
async function storeAttachments(
  env: Env,
  tenant: Tenant,
  ticketId: string | null,
  uploader: string,
  mail: Email,
  now: number,
): Promise<{ accepted: string[]; refused: { name: string; reason: string }[] }> {
  const accepted: string[] = [];
  const refused: { name: string; reason: string }[] = [];
  const max = tenant.config.attachments.maxFilesPerMessage;
  for (const file of mail.attachments) {
    // Inline images (pasted screenshots, also signature logos) are kept like any file: never dropped.
    const name = file.filename ?? "unnamed";
    if (accepted.length >= max) {
      refused.push({ name, reason: `at most ${max} files per message` });
      continue;
    }
    const bytes =
      typeof file.content === "string" ? new TextEncoder().encode(file.content) : new Uint8Array(file.content);
    try {
      const upload = await storeFile(env, tenant, {
        name,
        uploader,
        forTicketId: ticketId,
        length: String(bytes.length),
        body: new Blob([bytes]).stream(),
        now,
      });
      accepted.push(upload.id);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused.push({ name, reason: error.errors?.[0]?.message ?? error.message });
    }
  }
  return { accepted, refused };
}
