/**
 * A reseller's agent escalates a ticket to its provider (docs/console.md, "Escalation and
 * settings"). One change: the provider's tenant gets a linked ticket whose requester is the
 * reseller (the end customer withheld unless the reseller includes them), the reseller's ticket
 * goes on hold with the reason "escalated", and an audit row `escalate`. The claim is that the
 * reseller's ticket is not escalated yet: escalating twice is a 409 and never a second provider
 * ticket. The provider's answer comes back through relay.ts.
 */
import { sha256Hex } from "../auth/encoding";
import type { Staff } from "../auth/staff";
import { insertAudit } from "../db/audit";
import {
  claimEscalation,
  type EscalationLink,
  insertEscalatedHistory,
  linkProviderTicket,
  readEscalationState,
} from "../db/escalations";
import { insertHistory } from "../db/history";
import { insertIdempotencyKey, readIdempotencyKey } from "../db/idempotency";
import { insertMessage } from "../db/messages";
import { uniqueViolation } from "../db/sql";
import { insertTicket, readTicket, type Ticket } from "../db/tickets";
import { claim, type Step, writeChange } from "../db/write";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { respondByAt } from "../hours/respond-by";
import { cachedTenantWithKeys } from "../middleware/tenant-cache";
import type { Tenant } from "../schemas/tenant";
import { ticketEscalatedEvent } from "../webhooks/events";
import { visibleTicket } from "./access";
import { randomTicketNumber } from "./create";
import { type Actor, actorOf } from "./lifecycle";
import { historyEntry, messageOf } from "./write";

/** A provider ticket number already taken is drawn again this often. */
const NUMBER_ATTEMPTS = 5;

export interface EscalateBody {
  note: string;
  includeCustomer?: boolean | undefined;
}

export interface Escalated {
  /** The reseller's ticket after the escalation. */
  ticket: Ticket;
  escalation: EscalationLink;
  replayed: boolean;
}

export async function escalateTicket(
  env: Env,
  tenant: Tenant,
  who: Staff,
  ticketId: string,
  body: EscalateBody,
  idempotencyKey: string | undefined,
  now: number,
): Promise<Escalated> {
  if (tenant.parentId === null)
    throw new ApiError(
      "bad_request",
      `${tenant.name} has no provider to escalate to: only a reseller's tickets can be escalated.`,
    );
  const retry =
    idempotencyKey === undefined
      ? null
      : {
          key: idempotencyKey,
          principal: `escalate:user:${who.id}`,
          requestHash: await sha256Hex(JSON.stringify(body)),
        };
  const [current, found, earlier] = await Promise.all([
    visibleTicket(env.DB, who, ticketId),
    cachedTenantWithKeys(env.DB, tenant.parentId, now),
    retry ? readIdempotencyKey(env.DB, tenant.id, retry.principal, retry.key) : null,
  ]);
  if (!found) throw new Error(`tenant ${tenant.id}'s provider ${tenant.parentId} is gone`);
  const provider = found.tenant;
  if (earlier && retry) {
    if (earlier.requestHash !== retry.requestHash || earlier.ticketId !== ticketId)
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was already used for a different request.");
    return { ...(await alreadyEscalated(env, tenant, current.id)), replayed: true };
  }
  if (current.status === "closed")
    throw new ApiError("conflict", "This ticket is closed; re-open it before escalating it.");

  const actor = actorOf(who);
  const draft = providerTicket(tenant, provider, current, now);
  const message = messageOf(
    { source: "web" },
    {
      tenantId: provider.id,
      ticketId: draft.id,
      actor: { kind: "customer", id: draft.requesterId, name: `${who.name} (${tenant.name})` },
      body: escalationNote(tenant, who, current, body),
      internal: false,
    },
    now,
  );
  for (let attempt = 1; ; attempt++) {
    const linked = { ...draft, number: randomTicketNumber() };
    const steps: Step[] = [
      insertTicket(env.DB, linked),
      insertEscalatedHistory(env.DB, {
        id: crypto.randomUUID(),
        tenantId: tenant.id,
        ticketId: current.id,
        actorId: actor.id,
        actorName: actor.name,
        now,
      }),
      claim(claimEscalation(env.DB, { tenantId: tenant.id, ticketId: current.id, providerTicketId: linked.id, now })),
      // After the claim: a second escalation loses the claim before it meets the link's unique index.
      linkProviderTicket(env.DB, {
        providerTenantId: provider.id,
        providerTicketId: linked.id,
        resellerTicketId: current.id,
      }),
      insertMessage(env.DB, message),
      insertHistory(
        env.DB,
        historyEntry(linked, "status", null, "open", requesterActor(linked), `Escalated by ${tenant.name}`, now),
      ),
      insertAudit(env.DB, {
        tenantId: tenant.id,
        ticketId: current.id,
        actorId: who.id,
        actorName: who.name,
        action: "escalate",
        detail: {
          providerTenantId: provider.id,
          providerTicketId: linked.id,
          providerNumber: linked.number,
          includeCustomer: body.includeCustomer === true,
        },
        createdAt: now,
      }),
      // Its webhook events, each side to its own tenant's endpoints (webhooks/events.ts).
      ticketEscalatedEvent(
        env.DB,
        current,
        {
          direction: "to_provider",
          provider: { id: provider.id, name: provider.name },
          providerTicketNumber: linked.number,
        },
        now,
      ),
      ticketEscalatedEvent(
        env.DB,
        linked,
        {
          direction: "from_reseller",
          reseller: { id: tenant.id, name: tenant.name },
          resellerTicketNumber: current.number,
        },
        now,
      ),
    ];
    if (retry)
      steps.push(
        insertIdempotencyKey(env.DB, {
          tenantId: tenant.id,
          principal: retry.principal,
          key: retry.key,
          requestHash: retry.requestHash,
          ticketId: current.id,
          messageId: null,
          sealedAccessKey: null,
          createdAt: now,
        }),
      );
    try {
      const written = await writeChange(env.DB, steps);
      if (written.outcome === "lost") return refuseAgain(env, tenant, current);
      return {
        ticket: { ...current, status: "on_hold", updatedAt: now, lastActivityAt: now, version: current.version + 1 },
        escalation: {
          direction: "to_provider",
          tenantId: provider.id,
          tenantName: provider.name,
          ticketId: linked.id,
          number: linked.number,
          status: "open",
        },
        replayed: false,
      };
    } catch (error) {
      const table = uniqueViolation(error);
      if (table === "idempotency_keys" && retry)
        return { ...(await alreadyEscalated(env, tenant, current.id)), replayed: true };
      if (table === "tickets" && attempt < NUMBER_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** The provider's linked ticket, without its number: the reseller as requester, the same department if the provider has it. */
function providerTicket(reseller: Tenant, provider: Tenant, current: Ticket, now: number): Ticket {
  const departments = provider.config.departments;
  const department = departments.find((d) => d.id === current.department) ?? departments[0];
  if (!department) throw new Error(`provider ${provider.id} has no department`);
  const contact = reseller.config.emergency.contacts.find((c) => c.channel === "email");
  return {
    id: crypto.randomUUID(),
    tenantId: provider.id,
    number: 0,
    subject: `[${reseller.name} #${current.number}] ${current.subject}`,
    status: "open",
    priority: current.priority,
    department: department.id,
    serviceId: null,
    serviceLabel: null,
    fields: {},
    requesterKind: "user",
    requesterId: `tenant:${reseller.id}`,
    // Where the provider's answers go by mail: the reseller's mail identity, else its first email contact.
    requesterEmail:
      reseller.config.email.fromAddress ??
      (contact?.channel === "email" ? contact.email : `${reseller.id}@reseller.invalid`),
    requesterName: reseller.name,
    guestKeyHash: null,
    // The reseller waits for the provider from now, with the provider's own deadline.
    waitingSince: now,
    respondBy: respondByAt(provider, { requesterKind: "user", serviceId: null, priority: current.priority }, now),
    assignee: null,
    sensitive: null,
    createdAt: now,
    updatedAt: now,
    lastActivityAt: now,
    answeredAt: null,
    closedAt: null,
    version: 1,
  };
}

const requesterActor = (t: Ticket): Actor => ({ kind: "customer", id: t.requesterId, name: t.requesterName });

/**
 * The provider ticket's first message: the reseller's note, then what the ticket is about
 * (service, department fields). The end customer's name and email only when the reseller includes
 * them; the sensitive field never leaves the reseller.
 */
function escalationNote(reseller: Tenant, who: Staff, current: Ticket, body: EscalateBody): string {
  const lines = [`Escalated by ${who.name} from ${reseller.name} ticket #${current.number}.`];
  if (body.includeCustomer) lines.push(`Customer: ${current.requesterName} <${current.requesterEmail}>`);
  if (current.serviceLabel) lines.push(`Service: ${current.serviceLabel}`);
  for (const [field, value] of Object.entries(current.fields))
    lines.push(`${field}: ${typeof value === "boolean" ? (value ? "yes" : "no") : value}`);
  return `${body.note}\n\n— ${lines.join("\n")}`;
}

/** After a lost claim: the ticket was escalated (or closed) meanwhile; 409 saying which. */
async function refuseAgain(env: Env, tenant: Tenant, current: Ticket): Promise<never> {
  const state = await readEscalationState(env.DB, tenant.id, current.id);
  if (state?.link)
    throw new ApiError(
      "conflict",
      `This ticket is already escalated to ${state.link.tenantName} as #${state.link.number}.`,
    );
  if (state?.status === "closed")
    throw new ApiError("conflict", "This ticket is closed; re-open it before escalating it.");
  throw new ApiError("conflict", "The ticket changed while we were saving; please try again.");
}

/** A retry of an escalation that was written: the reseller's ticket and its link as they are now. */
async function alreadyEscalated(env: Env, tenant: Tenant, ticketId: string): Promise<Omit<Escalated, "replayed">> {
  const [ticket, state] = await Promise.all([
    readTicket(env.DB, tenant.id, ticketId),
    readEscalationState(env.DB, tenant.id, ticketId),
  ]);
  if (!ticket || !state?.link) throw new Error(`the Idempotency-Key of ${ticketId}'s escalation names no escalation`);
  return { ticket, escalation: state.link };
}
