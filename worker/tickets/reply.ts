/**
 * A message on an existing ticket: a customer's reply (through the widget or by mail), a staff
 * answer, or an internal note. It moves the status, pages after hours, tells the customer.
 *
 * A message is an append: it never fails because someone else changed the ticket meanwhile.
 * Its effect on the ticket is computed in SQL in the change that writes it (db/tickets.ts
 * appendToTicket), so fifty people replying at once store fifty messages.
 */
import { needsAlert, requesterSuppression, type Suppression } from "../alerts/policy";
import { type AttachmentPlan, planAttachments } from "../attachments/service";
import { sha256Hex } from "../auth/encoding";
import { isStaff, type Principal } from "../auth/principal";
import { acknowledgeTicketAlerts, insertAlert, insertReplyAlert, type NewAlert } from "../db/alerts";
import { insertStatusChangeFromTicket } from "../db/history";
import { insertIdempotencyKey, readIdempotencyKey } from "../db/idempotency";
import { insertMessage, type Message, readMessage } from "../db/messages";
import { insertNotification } from "../db/notifications";
import { uniqueViolation } from "../db/sql";
import { appendToTicket, type Ticket, ticketAfterAppend } from "../db/tickets";
import { claim, type Step, writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { respondByAt } from "../hours/respond-by";
import type { Tenant } from "../schemas/tenant";
import type { ReplyBody } from "../schemas/ticket";
import { uploaderOf, visibleTicket } from "./access";
import { type Actor, actorOf, statusChangeReason, statusSetByMessage } from "./lifecycle";
import { arrivalRecords, messageOf, type Via } from "./write";

/** A message's only claims besides "the ticket exists" are its uploads: one lost meanwhile is checked again this often. */
const APPEND_ATTEMPTS = 4;

export interface AddedMessage {
  message: Message;
  /** The ticket once the message is on it. */
  ticket: Ticket;
  /** The alert this reply may have raised, to deliver right away (one the cooldown suppressed is left alone by delivery). */
  alertIds: string[];
  /** The answer to an earlier request with the same Idempotency-Key: nothing new was written. */
  replayed: boolean;
}

/** What recognises a retry of a reply: its Idempotency-Key, per caller and ticket, with the request's hash. */
interface Retry {
  key: string;
  principal: string;
  requestHash: string;
}

export async function addMessage(
  env: Env,
  tenant: Tenant,
  who: Principal,
  ticketId: string,
  body: ReplyBody,
  now: number,
  via: Via,
  idempotencyKey?: string,
): Promise<AddedMessage> {
  if (body.internal && !isStaff(who))
    throw new ApiError("forbidden", "Only staff can write internal notes.", [
      { path: "internal", message: "is for staff only" },
    ]);
  const retry: Retry | null =
    idempotencyKey === undefined
      ? null
      : {
          key: idempotencyKey,
          principal: `${uploaderOf(who)} on ticket:${ticketId}`,
          requestHash: await sha256Hex(JSON.stringify(body)),
        };
  const earlier = await replay(env, tenant, who, ticketId, retry);
  if (earlier) return earlier;

  const actor = actorOf(who);
  const attachmentIds = body.attachmentIds ?? [];
  for (let attempt = 1; ; attempt++) {
    // Read for what a message does not change: who filed it, its number, its priority.
    const current = await visibleTicket(env.DB, who, ticketId);
    // A lost write was an upload taken or expired meanwhile: checked again, it is refused by name.
    const attach = await planAttachments(env, tenant, via.uploader, attachmentIds, ticketId);
    if (attempt > APPEND_ATTEMPTS)
      throw new ApiError("conflict", "The attachments changed while we were saving; please try again.");
    const message = messageOf(
      via,
      { tenantId: current.tenantId, ticketId: current.id, actor, body: body.body, internal: body.internal },
      now,
    );
    const alert = replyAlert(tenant, current, message, actor, now);
    const alertIds = alert && !alert.suppressed ? [alert.id] : [];
    // A customer's message starts the wait for staff, with its deadline (docs/console.md, Queue).
    const waiting = actor.kind === "customer" ? { respondBy: respondByAt(tenant, current, now) } : null;
    const { steps, update } = appendSteps(env.DB, current, message, actor, alert, attach, now, waiting);
    steps.push(...arrivalRecords(via), ...idempotencyRecord(env.DB, current, message, retry, now));
    try {
      const written = await writeChange(env.DB, steps);
      if (written.outcome === "lost") continue;
      const ticket = written.results[update] && ticketAfterAppend(written.results[update]);
      if (!ticket) throw new Error(`the reply to ${current.id} did not return the ticket`);
      return { message, ticket, alertIds, replayed: false };
    } catch (error) {
      // A concurrent retry with the same key won the race: answer with its message.
      if (uniqueViolation(error) === "idempotency_keys") {
        const winner = await replay(env, tenant, who, ticketId, retry);
        if (winner) return winner;
      }
      throw error;
    }
  }
}

/**
 * The rows of one message, in this order: the message, its status entry (which reads the
 * status the ticket update replaces, so it comes before it), the ticket update (the claim that
 * the ticket exists), alerts and the customer's notice, then the uploads it claims (which
 * reference the message), last. `update` is the ticket update's place, whose result is the ticket after.
 */
function appendSteps(
  db: D1Database,
  current: Ticket,
  message: Message,
  actor: Actor,
  alert: ReplyAlert | null,
  attach: AttachmentPlan,
  now: number,
  waiting: { respondBy: number | null } | null,
): { steps: Step[]; update: number } {
  const status = statusSetByMessage(actor.kind, message.internal);
  const steps: Step[] = [insertMessage(db, message)];
  if (status !== null) {
    steps.push(
      insertStatusChangeFromTicket(
        db,
        {
          id: crypto.randomUUID(),
          tenantId: current.tenantId,
          ticketId: current.id,
          to: status,
          actorKind: actor.kind,
          actorId: actor.id,
          actorName: actor.name,
          reason: statusChangeReason("open", status, actor, "message"),
          createdAt: now,
        },
        statusChangeReason("closed", status, actor, "message"),
      ),
    );
  }
  const update = steps.length;
  steps.push(
    claim(
      appendToTicket(db, {
        tenantId: current.tenantId,
        ticketId: current.id,
        status,
        visible: !message.internal,
        now,
        waiting,
      }),
    ),
    ...(alert ? [writeReplyAlert(db, alert)] : []),
    ...staffFollowUp(db, current, message, actor, now),
    ...attach(current.id, message.id, now),
  );
  return { steps, update };
}

/** Records the reply's Idempotency-Key with the message it wrote, in the message's change. */
function idempotencyRecord(
  db: D1Database,
  current: Ticket,
  message: Message,
  retry: Retry | null,
  now: number,
): D1PreparedStatement[] {
  if (!retry) return [];
  return [
    insertIdempotencyKey(db, {
      tenantId: current.tenantId,
      principal: retry.principal,
      key: retry.key,
      requestHash: retry.requestHash,
      ticketId: current.id,
      messageId: message.id,
      sealedAccessKey: null,
      createdAt: now,
    }),
  ];
}

/** The message an earlier request with this key wrote, or null; the key with a different request is refused. */
async function replay(
  env: Env,
  tenant: Tenant,
  who: Principal,
  ticketId: string,
  retry: Retry | null,
): Promise<AddedMessage | null> {
  if (!retry) return null;
  const record = await readIdempotencyKey(env.DB, tenant.id, retry.principal, retry.key);
  if (!record) return null;
  if (record.requestHash !== retry.requestHash)
    throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used for a different request.");
  const [ticket, message] = await Promise.all([
    visibleTicket(env.DB, who, ticketId),
    record.messageId ? readMessage(env.DB, tenant.id, record.messageId) : null,
  ]);
  if (!message) throw new Error(`idempotency key points at missing message ${record.messageId}`);
  return { message, ticket, alertIds: [], replayed: true };
}

/** The alert a reply raises (id and, when the requester cannot page, why not), and the tenant's cooldown. */
interface ReplyAlert extends NewAlert {
  suppressed: Suppression | null;
  cooldownMs: number;
}

/**
 * A customer's reply after hours at an emergency priority may page the on-call team: never for a
 * requester who cannot page, and otherwise only outside the cooldown (insertReplyAlert). Either
 * way the decision is recorded, for the alert log.
 */
function replyAlert(tenant: Tenant, current: Ticket, message: Message, actor: Actor, now: number): ReplyAlert | null {
  if (actor.kind !== "customer" || !needsAlert(tenant, current.priority, now)) return null;
  return {
    id: crypto.randomUUID(),
    tenantId: current.tenantId,
    ticketId: current.id,
    trigger: "customer_reply",
    triggerKey: `reply:${message.id}`,
    priority: current.priority,
    createdAt: now,
    suppressed: requesterSuppression(tenant, current),
    cooldownMs: tenant.config.emergency.replyPageCooldownMinutes * 60_000,
  };
}

function writeReplyAlert(db: D1Database, alert: ReplyAlert): D1PreparedStatement {
  const { suppressed, cooldownMs, ...row } = alert;
  return suppressed ? insertAlert(db, row, suppressed) : insertReplyAlert(db, row, cooldownMs);
}

/** Staff on the ticket: no more paging about it, and a public answer goes to the customer by mail. */
function staffFollowUp(
  db: D1Database,
  current: Ticket,
  message: Message,
  actor: Actor,
  now: number,
): D1PreparedStatement[] {
  if (actor.kind !== "agent") return [];
  const statements = [acknowledgeTicketAlerts(db, current.id, actor.name, now)];
  if (!message.internal) {
    statements.push(
      insertNotification(db, {
        id: crypto.randomUUID(),
        tenantId: current.tenantId,
        ticketId: current.id,
        kind: "agent_replied",
        recipient: current.requesterEmail,
        dedupeKey: `agent_replied:${message.id}`,
        payload: { number: current.number, subject: current.subject, agentName: actor.name, body: message.body },
        createdAt: now,
      }),
    );
  }
  return statements;
}
