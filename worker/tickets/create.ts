/**
 * Filing a ticket: through the widget by a signed-in customer or a guest, or by mail. Each step
 * below checks or builds one part; createTicket runs them in order and writes all as one change (db/write.ts).
 */
import { needsAlert, requesterSuppression, type Suppression } from "../alerts/policy";
import { type AttachmentPlan, planAttachments } from "../attachments/service";
import { randomToken, sha256Hex } from "../auth/encoding";
import type { Principal } from "../auth/principal";
import { seal, unseal } from "../auth/seal";
import { insertAlert } from "../db/alerts";
import { insertHistory } from "../db/history";
import { insertIdempotencyKey, readIdempotencyKey } from "../db/idempotency";
import { insertMessage, type Message } from "../db/messages";
import { insertNotification } from "../db/notifications";
import { uniqueViolation } from "../db/sql";
import { insertTicket, readTicket, type Ticket } from "../db/tickets";
import { writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError, type FieldError, fieldError } from "../errors";
import type { ExpectedResponse } from "../hours/calendar";
import { expectationsAt } from "../hours/expectations";
import { respondByAt } from "../hours/respond-by";
import type { Tenant } from "../schemas/tenant";
import type { CreateTicketBody, FieldValues } from "../schemas/ticket";
import { ticketCreatedEvents } from "../webhooks/events";
import { checkDepartmentFields } from "./fields";
import { type Actor, actorOf } from "./lifecycle";
import { arrivalRecords, historyEntry, messageOf, type Via } from "./write";

/** Ticket numbers are drawn at random from this range: unique per tenant, not guessable from time. */
const NUMBER_MIN = 10_000_000;
const NUMBER_SPAN = 90_000_000;
/** Writes of one filing: a number already taken, or an upload lost meanwhile, is tried again this often. */
const FILING_ATTEMPTS = 5;

/** A guest filing through the widget has no uploads yet (uploader null): their files go on replies. */
export type FilingVia = Via | { source: "web"; uploader: string | null };

export interface CreatedTicket {
  ticket: Ticket;
  /** Only for a guest's ticket: the key that opens it. Shown once; we keep only its hash. */
  accessKey?: string;
  replayed: boolean;
  /** After-hours alerts this request recorded, to deliver right away. */
  alertIds: string[];
}

type Requester = { kind: "user" | "guest"; id: string; email: string; name: string };

/** What recognises a retry of this request: its Idempotency-Key, per filer, with the request's hash. */
interface Retry {
  key: string | undefined;
  principal: string;
  requestHash: string;
}

/** What the filing's rows carry besides the ticket and its message. */
interface Receipt {
  expected: ExpectedResponse;
  sealedGuestLink: string | undefined;
  /** The guest's key, sealed for a replay of this request (only with an Idempotency-Key). */
  sealedAccessKey: string | null;
  /** The after-hours alert of an emergency ticket: a page, or (suppressed) the record of why there is none. */
  alert: { id: string; suppressed: Suppression | null } | null;
}

export async function createTicket(
  env: Env,
  tenant: Tenant,
  who: Principal | null,
  body: CreateTicketBody,
  idempotencyKey: string | undefined,
  now: number,
  via: FilingVia,
): Promise<CreatedTicket> {
  checkFiler(tenant, who, body, via);
  const { fields, service } = checkCreation(tenant, who, body, via);
  const requester = requesterOf(who, body);
  const retry: Retry = {
    key: idempotencyKey,
    principal: who ? `user:${who.id}` : `guest:${requester.email.toLowerCase()}`,
    requestHash: await sha256Hex(JSON.stringify(body)),
  };
  const earlier = await replay(env, tenant, retry);
  if (earlier) return earlier;
  const attachmentIds = body.attachmentIds ?? [];
  let attach = await planFiles(env, tenant, via.uploader, attachmentIds);

  const id = crypto.randomUUID();
  const accessKey = requester.kind === "guest" ? randomToken(32) : undefined;
  const actor: Actor = who ? actorOf(who) : { kind: "customer", id: `guest:${id}`, name: requester.name };
  const draft = await draftTicket(env, tenant, id, body, { fields, service, requester, accessKey }, now);
  const message = messageOf(
    via,
    { tenantId: tenant.id, ticketId: id, actor, body: body.message, internal: false },
    now,
  );
  const sealedAccessKey =
    accessKey && idempotencyKey !== undefined ? await seal(env.SECRETS_KEY, accessKey, `access-key:${id}`) : null;
  const sealedGuestLink = await guestLink(env, tenant, id, body.guest?.returnUrl, accessKey);
  const alert = needsAlert(tenant, body.priority, now)
    ? { id: crypto.randomUUID(), suppressed: requesterSuppression(tenant, draft) }
    : null;
  const alertIds = alert && !alert.suppressed ? [alert.id] : [];
  const receipt: Receipt = {
    expected: expectationsAt(tenant, now)(body.priority, draft),
    sealedGuestLink,
    sealedAccessKey,
    alert,
  };

  for (let attempt = 1; ; attempt++) {
    const ticket = { ...draft, number: randomTicketNumber() };
    const steps = [
      ...creationStatements(env.DB, ticket, message, actor, receipt, retry, now),
      // Its webhook events, read from the rows above (webhooks/events.ts).
      ...ticketCreatedEvents(env.DB, ticket, message, receipt.alert?.id ?? null, now),
      // After the message, which they reference.
      ...attach(id, message.id, now),
      ...arrivalRecords(via),
    ];
    try {
      const written = await writeChange(env.DB, steps);
      if (written.outcome === "written")
        return accessKey === undefined
          ? { ticket, replayed: false, alertIds }
          : { ticket, accessKey, replayed: false, alertIds };
    } catch (error) {
      const table = uniqueViolation(error);
      // A concurrent retry with the same key won the race: answer with its ticket.
      if (table === "idempotency_keys") {
        const winner = await replay(env, tenant, retry);
        if (winner) return winner;
      }
      if (table === "tickets" && attempt < FILING_ATTEMPTS) continue;
      throw error;
    }
    // Lost: a filing's only claims are its uploads, so one was taken or expired meanwhile; checked again, it is refused by name.
    attach = await planFiles(env, tenant, via.uploader, attachmentIds);
    if (attempt >= FILING_ATTEMPTS)
      throw new ApiError("conflict", "The attachments changed while we were saving; please try again.");
  }
}

/** Who may file: not a guest's access key; someone not signed in only as a guest, where the desk takes guests. */
function checkFiler(tenant: Tenant, who: Principal | null, body: CreateTicketBody, via: FilingVia): void {
  if (who?.kind === "guest")
    throw new ApiError("forbidden", "An access key opens one ticket; it cannot file new ones.");
  if (who) return;
  if (!body.guest) throw new ApiError("unauthorized", "Sign in through your control panel to file a ticket.");
  // By mail, the tenant's newTicketsByEmail decides (checked by the caller).
  if (!tenant.config.guestsAllowed && via.source === "web")
    throw new ApiError("forbidden", "This support desk takes tickets from signed-in customers only.");
}

/** Checks a creation request against the tenant's rules; every problem at once, by field. */
function checkCreation(tenant: Tenant, who: Principal | null, body: CreateTicketBody, via: FilingVia) {
  const errors: FieldError[] = [];
  const department = tenant.config.departments.find((d) => d.id === body.department);
  if (!department) {
    errors.push({
      path: "department",
      message: `must be one of ${tenant.config.departments.map((d) => d.id).join(", ")}`,
    });
  }
  const fields = department ? checkDepartmentFields(department, body.fields) : { values: {}, errors: [] };
  // A ticket by mail has only the mail: the form's required fields are for agents to ask about.
  if (via.source === "web") errors.push(...fields.errors);

  let service: { id: string; label: string } | null = null;
  if (body.serviceId !== undefined) {
    const own = who?.kind === "user" ? who.services.find((s) => s.id === body.serviceId) : undefined;
    if (own) service = { id: own.id, label: own.label };
    else errors.push({ path: "serviceId", message: "is not one of your services" });
  }
  if (who && body.guest) errors.push({ path: "guest", message: "is only for people who are not signed in" });
  if (errors.length) throw new ApiError("validation_failed", "Some fields need attention.", errors);
  return { department: department!, fields: fields.values, service };
}

/** The person the ticket is for: the signed-in user, or the guest the request names. */
function requesterOf(who: Principal | null, body: CreateTicketBody): Requester {
  return who
    ? { kind: "user", id: who.id, email: who.email, name: who.name }
    : { kind: "guest", id: "", email: body.guest!.email, name: body.guest!.name };
}

/** The ticket an earlier request with the same Idempotency-Key filed, or null; the key with another request is refused. */
async function replay(env: Env, tenant: Tenant, retry: Retry): Promise<CreatedTicket | null> {
  if (retry.key === undefined) return null;
  const record = await readIdempotencyKey(env.DB, tenant.id, retry.principal, retry.key);
  if (!record) return null;
  if (record.requestHash !== retry.requestHash)
    throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used for a different request.");
  const ticket = await readTicket(env.DB, tenant.id, record.ticketId);
  if (!ticket) throw new Error(`idempotency key points at missing ticket ${record.ticketId}`);
  const accessKey = record.sealedAccessKey
    ? await unseal(env.SECRETS_KEY, record.sealedAccessKey, `access-key:${ticket.id}`)
    : undefined;
  return accessKey === undefined
    ? { ticket, replayed: true, alertIds: [] }
    : { ticket, accessKey, replayed: true, alertIds: [] };
}

/** The files the first message may attach: the uploader's, checked now; a guest has none yet. */
async function planFiles(env: Env, tenant: Tenant, uploader: string | null, ids: string[]): Promise<AttachmentPlan> {
  if (uploader !== null) return planAttachments(env, tenant, uploader, ids, null);
  if (ids.length) {
    throw new ApiError("attachment_refused", "Guests can attach files to a reply once the ticket is filed.", [
      { path: "attachmentIds", message: "is for signed-in customers, or for replies" },
    ]);
  }
  return () => [];
}

export function randomTicketNumber(): number {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return NUMBER_MIN + ((n ?? 0) % NUMBER_SPAN);
}

/** The new ticket's row, without its number (drawn per attempt); the sensitive field sealed, the guest key hashed. */
async function draftTicket(
  env: Env,
  tenant: Tenant,
  id: string,
  body: CreateTicketBody,
  parts: {
    fields: FieldValues;
    service: { id: string; label: string } | null;
    requester: Requester;
    accessKey: string | undefined;
  },
  now: number,
): Promise<Ticket> {
  const { requester, service, accessKey } = parts;
  return {
    id,
    tenantId: tenant.id,
    number: 0,
    subject: body.subject,
    status: "open",
    priority: body.priority,
    department: body.department,
    serviceId: service?.id ?? null,
    serviceLabel: service?.label ?? null,
    fields: parts.fields,
    requesterKind: requester.kind,
    requesterId: requester.kind === "guest" ? `guest:${id}` : requester.id,
    requesterEmail: requester.email,
    requesterName: requester.name,
    guestKeyHash: accessKey ? await sha256Hex(accessKey) : null,
    assignee: null,
    sensitive: body.sensitive ? await seal(env.SECRETS_KEY, body.sensitive, `sensitive:${id}`) : null,
    createdAt: now,
    updatedAt: now,
    lastActivityAt: now,
    answeredAt: null,
    closedAt: null,
    version: 1,
    // Filed: the customer waits for staff from now (docs/console.md, Queue).
    waitingSince: now,
    respondBy: respondByAt(
      tenant,
      { requesterKind: requester.kind, serviceId: service?.id ?? null, priority: body.priority },
      now,
    ),
  };
}

/** The guest's private link, which goes out by mail sealed until then (it opens the ticket); its page must be one of the desk's. */
async function guestLink(
  env: Env,
  tenant: Tenant,
  id: string,
  returnUrl: string | undefined,
  accessKey: string | undefined,
): Promise<string | undefined> {
  if (returnUrl !== undefined && !tenant.config.allowedOrigins.includes(new URL(returnUrl).origin)) {
    throw fieldError("guest.returnUrl", "must be a page on one of this desk's panel origins");
  }
  return accessKey && returnUrl
    ? seal(env.SECRETS_KEY, `${returnUrl.split("#")[0]}#edgedesk-key=${accessKey}`, `guest-link:${id}`)
    : undefined;
}

/** The ticket, its first message and history, the receipt notice, any after-hours alert, and the Idempotency-Key record (in reference order). */
function creationStatements(
  db: D1Database,
  ticket: Ticket,
  message: Message,
  actor: Actor,
  receipt: Receipt,
  retry: Retry,
  now: number,
): D1PreparedStatement[] {
  const { expected, sealedGuestLink } = receipt;
  const statements = [
    insertTicket(db, ticket),
    insertMessage(db, message),
    insertHistory(db, historyEntry(ticket, "status", null, "open", actor, "Ticket created", now)),
    insertNotification(db, {
      id: crypto.randomUUID(),
      tenantId: ticket.tenantId,
      ticketId: ticket.id,
      kind: "ticket_received",
      recipient: ticket.requesterEmail,
      dedupeKey: `ticket_received:${ticket.id}`,
      payload: {
        number: ticket.number,
        subject: ticket.subject,
        expected,
        ...(sealedGuestLink && { sealedGuestLink }),
      },
      createdAt: now,
    }),
  ];
  if (receipt.alert) {
    statements.push(
      insertAlert(
        db,
        {
          id: receipt.alert.id,
          tenantId: ticket.tenantId,
          ticketId: ticket.id,
          trigger: "created",
          triggerKey: `created:${ticket.id}`,
          priority: ticket.priority,
          createdAt: now,
        },
        receipt.alert.suppressed,
      ),
    );
  }
  if (retry.key !== undefined) {
    statements.push(
      insertIdempotencyKey(db, {
        tenantId: ticket.tenantId,
        principal: retry.principal,
        key: retry.key,
        requestHash: retry.requestHash,
        ticketId: ticket.id,
        messageId: null,
        sealedAccessKey: receipt.sealedAccessKey,
        createdAt: now,
      }),
    );
  }
  return statements;
}
