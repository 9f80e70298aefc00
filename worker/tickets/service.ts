import { isStaff, type Principal } from "../auth/principal";
import { randomToken, sha256Hex } from "../auth/encoding";
import { seal, unseal } from "../auth/seal";
import type { Env } from "../env";
import { ApiError, fieldError, notFound, type FieldError } from "../errors";
import { needsAlert } from "../alerts/policy";
import { acknowledgeTicketAlerts, insertAlert } from "../db/alerts";
import { insertHistory, type HistoryEntry, type HistoryField } from "../db/history";
import { insertIdempotencyKey, readIdempotencyKey } from "../db/idempotency";
import { attachRaceLost, planAttachments } from "../attachments/service";
import { insertMessage, readMessage, upsertVote, type Message } from "../db/messages";
import { insertNotification } from "../db/notifications";
import { guardFailed, uniqueViolation } from "../db/sql";
import { insertTicket, readTicket, updateTicketIfUnchanged, type Ticket } from "../db/tickets";
import type { Tenant } from "../schemas/tenant";
import type { CreateTicketBody, PatchTicketBody, ReplyBody, Status } from "../schemas/ticket";
import { checkDepartmentFields } from "./fields";
import { expectationsAt } from "../hours/expectations";
import { actorOf, canSee, statusAfterMessage, statusChangeReason, withStatus, type Actor } from "./lifecycle";

/** Ticket numbers are drawn at random from this range: unique per tenant, not guessable from time. */
const NUMBER_MIN = 10_000_000;
const NUMBER_SPAN = 90_000_000;
const NUMBER_ATTEMPTS = 5;
/** Concurrent writers to one ticket retry this often before giving up with 409. */
const WRITE_ATTEMPTS = 4;

function randomTicketNumber(): number {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return NUMBER_MIN + ((n ?? 0) % NUMBER_SPAN);
}

/** The ticket if `who` may see it; 404 otherwise (never 403, so ids reveal nothing). */
export async function visibleTicket(db: D1Database, who: Principal, ticketId: string): Promise<Ticket> {
  const ticket = await readTicket(db, who.tenantId, ticketId);
  if (!ticket || !canSee(who, ticket)) throw notFound();
  return ticket;
}

function historyEntry(ticket: Ticket, field: HistoryField, from: string | null, to: string | null, actor: Actor, reason: string, now: number): HistoryEntry {
  return {
    id: crypto.randomUUID(),
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    field,
    from,
    to,
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    reason,
    createdAt: now,
  };
}

export interface CreatedTicket {
  ticket: Ticket;
  /** Only for a guest's ticket: the key that opens it. Shown once; we keep only its hash. */
  accessKey?: string;
  replayed: boolean;
  /** After-hours alerts this request recorded, to deliver right away. */
  alertIds: string[];
}

/** Checks a creation request against the tenant's rules; every problem at once, by field. */
function checkCreation(tenant: Tenant, who: Principal | null, body: CreateTicketBody, requireFields: boolean) {
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
  if (requireFields) errors.push(...fields.errors);

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

export async function createTicket(
  env: Env,
  tenant: Tenant,
  who: Principal | null,
  body: CreateTicketBody,
  idempotencyKey: string | undefined,
  now: number,
  via: ReplyVia = { source: "web" },
): Promise<CreatedTicket> {
  if (who?.kind === "guest") throw new ApiError("forbidden", "An access key opens one ticket; it cannot file new ones.");
  if (!who) {
    if (!body.guest) throw new ApiError("unauthorized", "Sign in through your control panel to file a ticket.");
    // By mail, the tenant's newTicketsByEmail decides (checked by the caller).
    if (!tenant.config.guestsAllowed && via.source === "web")
      throw new ApiError("forbidden", "This support desk takes tickets from signed-in customers only.");
  }
  const { fields, service } = checkCreation(tenant, who, body, via.source === "web");

  const requester = who
    ? { kind: "user" as const, id: who.id, email: who.email, name: who.name }
    : { kind: "guest" as const, id: "", email: body.guest!.email, name: body.guest!.name };
  const idemPrincipal = who ? `user:${who.id}` : `guest:${requester.email.toLowerCase()}`;
  const requestHash = await sha256Hex(JSON.stringify(body));

  const replay = async (): Promise<CreatedTicket | null> => {
    if (idempotencyKey === undefined) return null;
    const record = await readIdempotencyKey(env.DB, tenant.id, idemPrincipal, idempotencyKey);
    if (!record) return null;
    if (record.requestHash !== requestHash)
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used for a different request.");
    const ticket = await readTicket(env.DB, tenant.id, record.ticketId);
    if (!ticket) throw new Error(`idempotency key points at missing ticket ${record.ticketId}`);
    const accessKey = record.sealedAccessKey
      ? await unseal(env.SECRETS_KEY, record.sealedAccessKey, `access-key:${ticket.id}`)
      : undefined;
    return accessKey === undefined ? { ticket, replayed: true, alertIds: [] } : { ticket, accessKey, replayed: true, alertIds: [] };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  const attachmentIds = body.attachmentIds ?? [];
  if (!who && attachmentIds.length && via.source === "web") {
    throw new ApiError("attachment_refused", "Guests can attach files to a reply once the ticket is filed.", [
      { path: "attachmentIds", message: "is for signed-in customers, or for replies" },
    ]);
  }
  const attach =
    via.source === "email" ? await planAttachments(env, tenant, { uploader: via.uploader }, attachmentIds, null) : who ? await planAttachments(env, tenant, who, attachmentIds, null) : () => [];

  const id = crypto.randomUUID();
  const accessKey = requester.kind === "guest" ? randomToken(32) : undefined;
  const actor: Actor = who ? actorOf(who) : { kind: "customer", id: `guest:${id}`, name: requester.name };
  const base: Ticket = {
    id,
    tenantId: tenant.id,
    number: 0,
    subject: body.subject,
    status: "open",
    priority: body.priority,
    department: body.department,
    serviceId: service?.id ?? null,
    serviceLabel: service?.label ?? null,
    fields,
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
  };
  const message: Message = {
    id: crypto.randomUUID(),
    tenantId: tenant.id,
    ticketId: id,
    authorKind: actor.kind,
    authorId: actor.id,
    authorName: actor.name,
    body: body.message,
    internal: false,
    source: via.source,
    createdAt: now,
    ...(via.source === "email" && { rawKey: via.rawKey, warning: via.warning }),
  };
  const sealedAccessKey =
    accessKey && idempotencyKey !== undefined ? await seal(env.SECRETS_KEY, accessKey, `access-key:${id}`) : null;
  // The guest's private link goes out by mail, sealed until then: it opens the ticket.
  const returnUrl = body.guest?.returnUrl;
  if (returnUrl !== undefined && !tenant.config.allowedOrigins.includes(new URL(returnUrl).origin)) {
    throw fieldError("guest.returnUrl", "must be a page on one of this desk's panel origins");
  }
  const sealedGuestLink =
    accessKey && returnUrl ? await seal(env.SECRETS_KEY, `${returnUrl.split("#")[0]}#edgedesk-key=${accessKey}`, `guest-link:${id}`) : undefined;
  const expected = expectationsAt(tenant, now)(body.priority);
  const alertIds = needsAlert(tenant, body.priority, now) ? [crypto.randomUUID()] : [];

  for (let attempt = 1; ; attempt++) {
    const ticket = { ...base, number: randomTicketNumber() };
    const statements = [
      insertTicket(env.DB, ticket),
      insertMessage(env.DB, message),
      insertHistory(env.DB, historyEntry(ticket, "status", null, "open", actor, "Ticket created", now)),
      insertNotification(env.DB, {
        id: crypto.randomUUID(),
        tenantId: tenant.id,
        ticketId: id,
        kind: "ticket_received",
        recipient: requester.email,
        dedupeKey: `ticket_received:${id}`,
        payload: { number: ticket.number, subject: ticket.subject, expected, ...(sealedGuestLink && { sealedGuestLink }) },
        createdAt: now,
      }),
    ];
    for (const alertId of alertIds) {
      statements.push(
        insertAlert(env.DB, { id: alertId, tenantId: tenant.id, ticketId: id, trigger: "created", triggerKey: `created:${id}`, priority: body.priority, createdAt: now }),
      );
    }
    if (idempotencyKey !== undefined) {
      statements.push(
        insertIdempotencyKey(env.DB, {
          tenantId: tenant.id,
          principal: idemPrincipal,
          key: idempotencyKey,
          requestHash,
          ticketId: id,
          sealedAccessKey,
          createdAt: now,
        }),
      );
    }
    statements.push(...attach(id, message.id, now));
    if (via.source === "email") statements.push(...via.extra(message.id));
    try {
      await env.DB.batch(statements);
      return accessKey === undefined ? { ticket, replayed: false, alertIds } : { ticket, accessKey, replayed: false, alertIds };
    } catch (error) {
      if (guardFailed(error)) throw attachRaceLost(attachmentIds);
      const table = uniqueViolation(error);
      // A concurrent retry with the same key won the race: answer with its ticket.
      if (table === "idempotency_keys") {
        const winner = await replay();
        if (winner) return winner;
      }
      if (table === "tickets" && attempt < NUMBER_ATTEMPTS) continue;
      throw error;
    }
  }
}

/**
 * Runs `change` against the current ticket and writes the result atomically, conditional on
 * the version it read; on a concurrent write it reads again and re-applies.
 */
async function writeTicket<T>(
  db: D1Database,
  who: Principal,
  ticketId: string,
  change: (current: Ticket) => { next: Ticket; extra: D1PreparedStatement[]; result: T } | { unchanged: T },
): Promise<T> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const current = await visibleTicket(db, who, ticketId);
    const planned = change(current);
    if ("unchanged" in planned) return planned.unchanged;
    const next = { ...planned.next, version: current.version + 1 };
    const [update] = await db.batch([updateTicketIfUnchanged(db, next), ...planned.extra]);
    if (update?.meta.changes === 1) return planned.result;
  }
  throw new ApiError("conflict", "The ticket changed while we were saving; please try again.");
}

/** How a reply arrived: the API, or a mail (with its original, its warnings and its files). */
export type ReplyVia =
  | { source: "web" }
  | {
      source: "email";
      rawKey: string;
      warning: string | null;
      uploader: string;
      /** Rows that belong to the message (written only if it is), e.g. the mail's dedupe record. */
      extra: (messageId: string) => D1PreparedStatement[];
    };

export async function addMessage(
  env: Env,
  tenant: Tenant,
  who: Principal,
  ticketId: string,
  body: ReplyBody,
  now: number,
  via: ReplyVia = { source: "web" },
): Promise<{ message: Message; ticketId: string; status: Status; alertIds: string[] }> {
  if (body.internal && !isStaff(who)) throw new ApiError("forbidden", "Only staff can write internal notes.", [{ path: "internal", message: "is for staff only" }]);
  const actor = actorOf(who);
  const attachmentIds = body.attachmentIds ?? [];
  const attach = await planAttachments(env, tenant, via.source === "email" ? { uploader: via.uploader } : who, attachmentIds, ticketId);
  return writeTicket(env.DB, who, ticketId, (current) => {
    const message: Message = {
      id: crypto.randomUUID(),
      tenantId: current.tenantId,
      ticketId: current.id,
      authorKind: actor.kind,
      authorId: actor.id,
      authorName: actor.name,
      body: body.body,
      internal: body.internal,
      source: via.source,
      createdAt: now,
      ...(via.source === "email" && { rawKey: via.rawKey, warning: via.warning }),
    };
    const status = statusAfterMessage(current.status, actor.kind, body.internal);
    const next: Ticket = {
      ...withStatus(current, status, now),
      updatedAt: now,
      // Internal notes are invisible to the customer, so they don't reorder their history.
      lastActivityAt: body.internal ? current.lastActivityAt : now,
    };
    // Every staff answer restarts the auto-close clock, also a follow-up to an answered ticket.
    if (status === "answered") next.answeredAt = now;
    const extra = [insertMessage(env.DB, message, { afterChange: true })];
    if (status !== current.status) {
      const reason = statusChangeReason(current.status, status, actor, "message");
      extra.push(insertHistory(env.DB, historyEntry(current, "status", current.status, status, actor, reason, now), { afterChange: true }));
    }
    const alertIds: string[] = [];
    if (actor.kind === "customer" && needsAlert(tenant, current.priority, now)) {
      alertIds.push(crypto.randomUUID());
      extra.push(
        insertAlert(
          env.DB,
          { id: alertIds[0]!, tenantId: current.tenantId, ticketId: current.id, trigger: "customer_reply", triggerKey: `reply:${message.id}`, priority: current.priority, createdAt: now },
          { afterChange: true },
        ),
      );
    }
    // Any staff action on the ticket means someone is on it: no more paging about it.
    if (actor.kind === "agent") extra.push(acknowledgeTicketAlerts(env.DB, current.id, actor.name, now, { written: { table: "messages", id: message.id } }));
    if (actor.kind === "agent" && !body.internal) {
      extra.push(
        insertNotification(
          env.DB,
          {
            id: crypto.randomUUID(),
            tenantId: current.tenantId,
            ticketId: current.id,
            kind: "agent_replied",
            recipient: current.requesterEmail,
            dedupeKey: `agent_replied:${message.id}`,
            payload: { number: current.number, subject: current.subject, agentName: actor.name, body: body.body },
            createdAt: now,
          },
          { whenExists: { table: "messages", id: message.id } },
        ),
      );
    }
    // Last: they check that the message above was written, and abort the batch if a file was lost.
    extra.push(...attach(current.id, message.id, now));
    if (via.source === "email") extra.push(...via.extra(message.id));
    return { next, extra, result: { message, ticketId: current.id, status, alertIds } };
  }).catch((error: unknown) => {
    throw guardFailed(error) ? attachRaceLost(attachmentIds) : error;
  });
}

export async function patchTicket(
  env: Env,
  tenant: Tenant,
  who: Principal,
  ticketId: string,
  body: PatchTicketBody,
  now: number,
): Promise<{ ticket: Ticket; alertIds: string[] }> {
  const staff = isStaff(who);
  if (!staff) {
    const refused: FieldError[] = [];
    for (const field of ["priority", "department", "assignee"] as const) {
      if (body[field] !== undefined) refused.push({ path: field, message: "is changed by staff only" });
    }
    if (body.status !== undefined && body.status !== "closed" && body.status !== "open")
      refused.push({ path: "status", message: "you can close or re-open your ticket; other statuses are set by staff" });
    if (refused.length) throw new ApiError("forbidden", "Customers may only close or re-open their own tickets.", refused);
  }
  if (body.department !== undefined && !tenant.config.departments.some((d) => d.id === body.department))
    throw fieldError("department", `must be one of ${tenant.config.departments.map((d) => d.id).join(", ")}`);

  const actor = actorOf(who);
  return writeTicket<{ ticket: Ticket; alertIds: string[] }>(env.DB, who, ticketId, (current) => {
    let next: Ticket = { ...current };
    const entries: HistoryEntry[] = [];
    const note = (field: HistoryField, from: string | null, to: string | null, fallback: string) =>
      entries.push(historyEntry(current, field, from, to, actor, body.reason ?? fallback, now));

    if (body.status !== undefined && body.status !== current.status) {
      // A customer's "open" only re-opens a closed ticket; it never pulls one back from staff.
      if (staff || body.status === "closed" || current.status === "closed") {
        next = withStatus(next, body.status, now);
        note("status", current.status, body.status, statusChangeReason(current.status, body.status, actor, "patch"));
      }
    }
    if (body.priority !== undefined && body.priority !== current.priority) {
      next.priority = body.priority;
      note("priority", current.priority, body.priority, "Priority changed by staff");
    }
    if (body.department !== undefined && body.department !== current.department) {
      next.department = body.department;
      note("department", current.department, body.department, "Moved by staff");
    }
    if (body.assignee !== undefined && body.assignee !== current.assignee) {
      next.assignee = body.assignee;
      note("assignee", current.assignee, body.assignee, body.assignee ? "Assigned by staff" : "Unassigned by staff");
    }
    if (entries.length === 0) return { unchanged: { ticket: current, alertIds: [] } };
    next = { ...next, updatedAt: now, lastActivityAt: now };
    const extra = entries.map((e) => insertHistory(env.DB, e, { afterChange: true }));
    const emergency = tenant.config.emergency.priorities;
    const raised = entries.find((e) => e.field === "priority" && !emergency.includes(current.priority) && emergency.includes(next.priority));
    const alertIds: string[] = [];
    if (raised && needsAlert(tenant, next.priority, now)) {
      alertIds.push(crypto.randomUUID());
      extra.push(
        insertAlert(
          env.DB,
          { id: alertIds[0]!, tenantId: current.tenantId, ticketId: current.id, trigger: "raised", triggerKey: `raised:${raised.id}`, priority: next.priority, createdAt: now },
          { afterChange: true },
        ),
      );
    }
    // Staff acting on the ticket, or the ticket closing, ends paging about it (but not the alert just raised).
    if (staff || next.status === "closed") {
      extra.push(acknowledgeTicketAlerts(env.DB, current.id, actor.name, now, { ...(alertIds[0] && { exceptId: alertIds[0] }), written: { table: "ticket_history", id: entries[0]!.id } }));
    }
    return { next, extra, result: { ticket: { ...next, version: current.version + 1 }, alertIds } };
  });
}

/** A customer's "was this helpful?" on a staff reply; one vote per person, changeable. */
export async function voteOnMessage(env: Env, who: Principal, messageId: string, helpful: boolean, now: number): Promise<void> {
  const message = await readMessage(env.DB, who.tenantId, messageId);
  if (!message || message.internal) throw notFound("message");
  await visibleTicket(env.DB, who, message.ticketId);
  if (isStaff(who)) throw new ApiError("forbidden", "Votes are for customers; staff see the counts.");
  if (message.authorKind !== "agent") throw new ApiError("bad_request", "Only staff replies can be voted on.");
  await upsertVote(env.DB, message.id, who.id, helpful, now).run();
}
