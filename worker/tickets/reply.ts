/**
 * A message on an existing ticket: a customer's reply (through the widget or by mail), a staff
 * answer, or an internal note. It moves the status, pages after hours, tells the customer.
 *
 * A message is an append: it never fails because someone else changed the ticket meanwhile.
 * Its effect on the ticket is computed in SQL in the change that writes it (db/tickets.ts
 * appendToTicket), so fifty people replying at once store fifty messages.
 */
import { needsAlert, requesterSuppression } from "../alerts/policy";
import { type AttachmentPlan, planAttachments } from "../attachments/service";
import { sha256Hex } from "../auth/encoding";
import { isStaff, type Principal } from "../auth/principal";
import { acknowledgeTicketAlerts, insertReplyAlert, type NewAlert, type ReplyPaging, raisedAlert } from "../db/alerts";
import { insertAudit } from "../db/audit";
import { byFacts, type FactsTable } from "../db/facts";
import { insertStatusChangeFromTicket } from "../db/history";
import { insertIdempotencyKey, readIdempotencyKey } from "../db/idempotency";
import { insertMessage, type Message, readMessage } from "../db/messages";
import { insertRequesterNotification } from "../db/notifications";
import type { TicketSight } from "../db/sight";
import { uniqueViolation } from "../db/sql";
import {
  appendToTicket,
  setStatusAfterReply,
  type Ticket,
  ticketAfterAppend,
  ticketInSight,
  ticketStillAt,
} from "../db/tickets";
import { claim, type Step, type WriteOutcome, writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { expectationsAt } from "../hours/expectations";
import { respondByAt } from "../hours/respond-by";
import type { Tenant } from "../schemas/tenant";
import type { ReplyBody, Status } from "../schemas/ticket";
import { alertRaisedEvent, alertsAcknowledgedEvents, ticketRepliedEvents } from "../webhooks/events";
import { sightOf, uploaderOf, visibleTicket } from "./access";
import { type Actor, actorOf, statusChangeReason, statusSetByMessage } from "./lifecycle";
import { changedMeanwhile } from "./meanwhile";
import { relayedTenant, relayToReseller } from "./relay";
import { arrivalRecords, messageOf, type Via } from "./write";

/** A message's only claims besides "the ticket exists" are its uploads: one lost meanwhile is checked again this often. */
const APPEND_ATTEMPTS = 4;

export interface AddedMessage {
  message: Message;
  /** The ticket once the message is on it. */
  ticket: Ticket;
  /** The alert this reply may have raised, to deliver right away (one the cooldown suppressed is left alone by delivery). */
  alertIds: string[];
  /** The reseller's tenant a provider's answer was relayed to (its endpoints' events to queue), or null. */
  relayedTo: string | null;
  /** The answer to an earlier request with the same Idempotency-Key: nothing new was written. */
  replayed: boolean;
}

/** What recognises a retry of a reply: its Idempotency-Key, per caller and ticket, with the request's hash. */
interface Retry {
  key: string;
  principal: string;
  requestHash: string;
}

/**
 * Adds a message in one round trip: the change is planned without reading the ticket (what it
 * needs of the ticket row, its own statements select in SQL: the status entry, the notice's
 * recipient, the alert's priority; what depends on the ticket's facts is answered for each in a
 * table, db/facts.ts), and it claims first that the caller may see the ticket. Only a lost
 * change reads: the ticket (404, or 409 changed_meanwhile for a staff `seenVersion`), and, when
 * the Idempotency-Key was used already, the earlier answer (the key's row is written in the change,
 * so a retry loses on its UNIQUE key without a read up front).
 *
 * Adding a step to this change: take what it needs of the ticket with INSERT … SELECT FROM
 * tickets in worker/db/ (as insertRequesterNotification), not from a read before the batch.
 */
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
  refuseStaffFields(who, body);
  const retry: Retry | null =
    idempotencyKey === undefined
      ? null
      : {
          key: idempotencyKey,
          principal: `${uploaderOf(who)} on ticket:${ticketId}`,
          requestHash: await sha256Hex(JSON.stringify(body)),
        };
  const actor = actorOf(who);
  const attachmentIds = body.attachmentIds ?? [];
  const on: Target = { tenantId: who.tenantId, id: ticketId };
  for (let attempt = 1; ; attempt++) {
    // A lost write may be an upload taken or expired meanwhile: checked again, it is refused by name.
    const attach = await planAttachments(env, tenant, via.uploader, attachmentIds, ticketId);
    if (attempt > APPEND_ATTEMPTS)
      throw new ApiError("conflict", "The attachments changed while we were saving; please try again.");
    const message = messageOf(
      via,
      { tenantId: on.tenantId, ticketId: on.id, actor, body: body.body, internal: body.internal },
      now,
    );
    const alert = replyAlert(tenant, on, message, actor, now);
    const staff = { seenVersion: body.seenVersion, status: body.status, reason: body.reason };
    // A customer's message starts the wait for staff, with its deadline (docs/console.md, Queue).
    const waiting = actor.kind === "customer" ? { respondBy: respondByTable(tenant, now) } : null;
    const { steps, update, raised, relayed } = appendSteps(
      env.DB,
      on,
      sightOf(who),
      message,
      actor,
      alert,
      attach,
      staff,
      now,
      waiting,
    );
    steps.push(
      ...arrivalRecords(via),
      ...idempotencyRecord(env.DB, on, message, retry, now),
      ...auditRecord(env.DB, on, message, actor, staff, now),
    );
    let written: WriteOutcome;
    try {
      written = await writeChange(env.DB, steps);
    } catch (error) {
      // This Idempotency-Key was used already (a retry, or a concurrent one that won): answer with its message.
      if (uniqueViolation(error) === "idempotency_keys") {
        const winner = await replay(env, tenant, who, ticketId, retry);
        if (winner) return winner;
      }
      throw error;
    }
    if (written.outcome === "written") {
      const ticket = written.results[update] && ticketAfterAppend(written.results[update]);
      if (!ticket) throw new Error(`the reply to ${ticketId} did not return the ticket`);
      const paged = raised === null ? null : raisedAlert(written.results[raised] as D1Result);
      const relayedTo = relayed === null ? null : relayedTenant(written.results[relayed]);
      return { message, ticket, alertIds: paged?.pages ? [paged.id] : [], relayedTo, replayed: false };
    }
    // Lost: a retry whose first attempt took its uploads or moved the version is answered as the first;
    const earlier = await replay(env, tenant, who, ticketId, retry);
    if (earlier) return earlier;
    // else the ticket is not the caller's (404), or changed since the agent's view, or an upload went meanwhile (again).
    const current = await visibleTicket(env.DB, who, ticketId);
    if (body.seenVersion !== undefined && current.version !== body.seenVersion)
      throw await changedMeanwhile(env.DB, current, body.seenVersion, who.id);
  }
}

/** The ticket a message goes on, as the request names it: the change never reads the row before writing. */
interface Target {
  tenantId: string;
  id: string;
}

/** What only staff send with a reply: the version their view was read at, and a status to set with it. */
interface StaffReply {
  seenVersion: number | undefined;
  status: Status | undefined;
  reason: string | undefined;
}

/** A customer sending a staff-only field is refused, field by field. */
function refuseStaffFields(who: Principal, body: ReplyBody): void {
  if (isStaff(who)) return;
  const refused = (["internal", "status", "reason", "seenVersion"] as const)
    .filter((field) => (field === "internal" ? body.internal : body[field] !== undefined))
    .map((path) => ({ path, message: "is for staff only" }));
  if (refused.length)
    throw new ApiError(
      "forbidden",
      body.internal ? "Only staff can write internal notes." : "Only staff can set these.",
      refused,
    );
}

/**
 * The rows of one message, in this order: the claim that the caller sees the ticket (first, so a
 * missing or foreign ticket loses the change before anything references it), the claim that the
 * ticket is still at the version the agent saw (when sent), the message, its status entry (which
 * reads the status the ticket update replaces, so it comes before it), the ticket update (the
 * claim that the ticket exists), the status a staff reply sets with it, alerts and the customer's
 * notice, then the uploads it claims (which reference the message), last. `update` is the place of
 * the statement whose result is the ticket after; `raised`, of the alert a customer's reply may raise.
 */
function appendSteps(
  db: D1Database,
  on: Target,
  sight: TicketSight,
  message: Message,
  actor: Actor,
  alert: ReplyAlert | null,
  attach: AttachmentPlan,
  staff: StaffReply,
  now: number,
  waiting: { respondBy: FactsTable } | null,
): { steps: Step[]; update: number; raised: number | null; relayed: number | null } {
  const status = statusSetByMessage(actor.kind, message.internal);
  // The status asked for with a staff reply replaces the one the reply sets (a note sets none: the schema says so).
  const target = status !== null && staff.status !== undefined ? staff.status : status;
  const steps: Step[] = [claim(ticketInSight(db, on.tenantId, on.id, sight))];
  if (staff.seenVersion !== undefined) steps.push(claim(ticketStillAt(db, on.tenantId, on.id, staff.seenVersion)));
  steps.push(insertMessage(db, message));
  // The status change's history entry, written only if the status really moves (known in SQL only).
  const statusEntryId = target !== null ? crypto.randomUUID() : null;
  if (target !== null && statusEntryId !== null) {
    // A status asked for reads as a change's reason; the staff's own reason wins either way.
    const cause = target === status ? "message" : "patch";
    steps.push(
      insertStatusChangeFromTicket(
        db,
        {
          id: statusEntryId,
          tenantId: on.tenantId,
          ticketId: on.id,
          to: target,
          actorKind: actor.kind,
          actorId: actor.id,
          actorName: actor.name,
          reason: staff.reason ?? statusChangeReason("open", target, actor, cause),
          createdAt: now,
        },
        staff.reason ?? statusChangeReason("closed", target, actor, cause),
      ),
    );
  }
  let update = steps.length;
  steps.push(
    claim(
      appendToTicket(db, {
        tenantId: on.tenantId,
        ticketId: on.id,
        status,
        visible: !message.internal,
        now,
        waiting,
      }),
    ),
  );
  if (target !== null && target !== status) {
    update = steps.length;
    steps.push(setStatusAfterReply(db, { tenantId: on.tenantId, ticketId: on.id, status: target, now }));
  }
  steps.push(
    // Its webhook events (webhooks/events.ts): after the ticket's update, before the alerts staff acknowledge.
    ...ticketRepliedEvents(db, on, message, statusEntryId, now),
    ...(actor.kind === "agent" ? [alertsAcknowledgedEvents(db, on, actor.name, now)] : []),
  );
  // Where the alert's insert lands: whether it paged is that statement's own outcome.
  const raised = alert ? steps.length : null;
  if (alert)
    steps.push(insertReplyAlert(db, alert, alert.cooldownMs, alert.paging), alertRaisedEvent(db, on, alert.id, now));
  steps.push(...staffFollowUp(db, on, message, actor, now));
  // A provider's answer on an escalated ticket, as a note on the reseller's ticket (escalation).
  const relay = relayToReseller(db, on, message, actor, now);
  const relayed = relay.tenantAt === null ? null : steps.length + relay.tenantAt;
  steps.push(...relay.steps, ...attach(on.id, message.id, now));
  return { steps, update, raised, relayed };
}

/** Staff writing on a ticket is in the audit log: which message, and the status set with it. */
function auditRecord(
  db: D1Database,
  current: Target,
  message: Message,
  actor: Actor,
  staff: StaffReply,
  now: number,
): D1PreparedStatement[] {
  if (actor.kind !== "agent") return [];
  return [
    insertAudit(db, {
      tenantId: current.tenantId,
      ticketId: current.id,
      actorId: actor.id,
      actorName: actor.name,
      action: message.internal ? "note" : "reply",
      detail: {
        messageId: message.id,
        ...(staff.status !== undefined && !message.internal && { status: staff.status }),
        ...(staff.reason !== undefined && { reason: staff.reason }),
      },
      createdAt: now,
    }),
  ];
}

/** Records the reply's Idempotency-Key with the message it wrote, in the message's change. */
function idempotencyRecord(
  db: D1Database,
  current: Target,
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
  return { message, ticket, alertIds: [], relayedTo: null, replayed: true };
}

/** The alert a customer's reply may raise: its row, the tenant's cooldown, and whether it pages per the ticket's facts. */
interface ReplyAlert extends Omit<NewAlert, "priority"> {
  cooldownMs: number;
  paging: FactsTable;
}

/**
 * A customer's reply after hours at an emergency priority may page the on-call team: never for a
 * requester who cannot page, and otherwise only outside the cooldown (insertReplyAlert). Either
 * way the decision is recorded, for the alert log. During support hours no ticket pages: no step.
 */
function replyAlert(tenant: Tenant, on: Target, message: Message, actor: Actor, now: number): ReplyAlert | null {
  if (actor.kind !== "customer" || !tenant.config.emergency.priorities.some((p) => needsAlert(tenant, p, now)))
    return null;
  return {
    id: crypto.randomUUID(),
    tenantId: on.tenantId,
    ticketId: on.id,
    trigger: "customer_reply",
    triggerKey: `reply:${message.id}`,
    createdAt: now,
    cooldownMs: tenant.config.emergency.replyPageCooldownMinutes * 60_000,
    paging: byFacts<ReplyPaging>((facts) =>
      needsAlert(tenant, facts.priority, now) ? (requesterSuppression(tenant, facts) ?? "page") : null,
    ),
  };
}

/** The wait a customer's message starts, its respond-by deadline for every ticket's facts (hours/respond-by.ts). */
function respondByTable(tenant: Tenant, now: number): FactsTable {
  const expectations = expectationsAt(tenant, now);
  return byFacts((facts) => respondByAt(tenant, facts, now, expectations));
}

/** Staff on the ticket: no more paging about it, and a public answer goes to the customer by mail. */
function staffFollowUp(db: D1Database, on: Target, message: Message, actor: Actor, now: number): D1PreparedStatement[] {
  if (actor.kind !== "agent") return [];
  const statements = [acknowledgeTicketAlerts(db, on.id, actor.name, now)];
  if (!message.internal) {
    // To the ticket's requester, with its number and subject: taken from the row in SQL.
    statements.push(
      insertRequesterNotification(db, {
        id: crypto.randomUUID(),
        tenantId: on.tenantId,
        ticketId: on.id,
        kind: "agent_replied",
        dedupeKey: `agent_replied:${message.id}`,
        payload: { agentName: actor.name, body: message.body },
        createdAt: now,
      }),
    );
  }
  return statements;
}
