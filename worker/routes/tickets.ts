import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { signedAttachmentViews } from "../attachments/service";
import { base64url, fromBase64url, utf8 } from "../auth/encoding";
import {
  authenticate,
  isStaff,
  type Principal,
  requirePrincipal,
  settleGuest,
  unresolvedGuestKey,
} from "../auth/principal";
import { requireStaff } from "../auth/staff";
import type { AppEnv } from "../context";
import { type ActivityCursor, listTickets, readTicketDetail } from "../db/tickets";
import { ApiError, notFound } from "../errors";
import { expectationsAt } from "../hours/expectations";
import { jsonBodyLimit } from "../middleware/body-limit";
import { rateLimit } from "../middleware/rate-limit";
import { cachedTenantWithKeys } from "../middleware/tenant-cache";
import { changedSoon } from "../presence/notify";
import { TenantPath, TicketPath } from "../schemas/params";
import { problem, problems } from "../schemas/problem";
import {
  CreateTicketBody,
  CreateTicketResponse,
  ListTicketsQuery,
  PatchTicketBody,
  RevealResponse,
  TicketDetailResponse,
  TicketListResponse,
  TicketResponse,
} from "../schemas/ticket";
import { sightOf, uploaderOf } from "../tickets/access";
import { patchTicket } from "../tickets/change";
import { createTicket } from "../tickets/create";
import { revealSensitive } from "../tickets/reveal";
import { closesAtOf, statusReasonOf } from "../tickets/status-reason";
import { toEscalationView, toHistoryView, toMessageView, toTicketView, withVersionFor } from "../tickets/view";
import { deliverSoon } from "./deliver";
import { idempotencyKeyHeader } from "./messages";
import { jsonBody, jsonResponse, withCredentials, withEmbedToken } from "./openapi";

function encodeCursor(c: ActivityCursor): string {
  return base64url(utf8(JSON.stringify([c.lastActivityAt, c.id])));
}

function decodeCursor(s: string): ActivityCursor {
  const bytes = fromBase64url(s);
  try {
    const [t, id] = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())) as unknown[];
    if (typeof t === "number" && Number.isSafeInteger(t) && typeof id === "string") return { lastActivityAt: t, id };
  } catch {
    // fall through to the error below
  }
  throw new ApiError("validation_failed", "cursor: is not a cursor this API gave out", [
    { path: "cursor", message: "is not a cursor this API gave out" },
  ]);
}

/** `/api/v1/{tenant}/tickets`: filing, listing, reading and changing tickets. Replies are in messages.ts. */
export const tickets = new OpenAPIHono<AppEnv>();

tickets.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "createTicket",
    middleware: [jsonBodyLimit(), rateLimit("tickets")] as const,
    tags: ["Tickets"],
    summary: "File a ticket",
    description:
      "A signed-in user files as themself; a guest (where the tenant allows it) sends `guest: {name, email}` and no credentials, and receives an `accessKey` that opens this one ticket.",
    security: [{ embedToken: [] }, {}] as Record<string, string[]>[],
    request: {
      params: TenantPath,
      headers: z.object({ "idempotency-key": idempotencyKeyHeader("ticket") }),
      body: jsonBody(CreateTicketBody),
    },
    responses: {
      201: {
        ...jsonResponse(CreateTicketResponse, "The ticket (also on a replay of the same Idempotency-Key)."),
        headers: { Location: { schema: { type: "string" } } },
      },
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
      413: problems[413],
      415: problems[415],
      429: problems[429],
      422: problem(
        "The Idempotency-Key was used for a different request, or an attachment was refused (`errors` names it).",
      ),
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await authenticate(c);
    const now = Date.now();
    const created = await createTicket(
      c.env,
      tenant,
      who,
      c.req.valid("json"),
      c.req.valid("header")["idempotency-key"],
      now,
      { source: "web", uploader: who ? uploaderOf(who) : null },
    );
    c.header("Location", `/api/v1/${tenant.id}/tickets/${created.ticket.id}`);
    if (created.replayed) c.header("Idempotent-Replayed", "true");
    deliverSoon(c, created.alertIds, created.ticket.id);
    const ticket = toTicketView(created.ticket, expectationsAt(tenant, now));
    return c.json(created.accessKey ? { ticket, accessKey: created.accessKey } : { ticket }, 201);
  },
);

tickets.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listTickets",
    tags: ["Tickets"],
    summary: "List tickets",
    description:
      "A customer sees their own tickets; staff see the tenant's queue. Newest activity first; pass `nextCursor` back as `cursor` for the next page.",
    security: withCredentials,
    request: { params: TenantPath, query: ListTicketsQuery },
    responses: {
      200: jsonResponse(TicketListResponse, "One page of tickets."),
      400: problems[400],
      401: problems[401],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requirePrincipal(c);
    const q = c.req.valid("query");
    const requester = isStaff(who) ? undefined : who.id;
    const page = await listTickets(
      c.env.DB,
      {
        tenantId: tenant.id,
        ...(requester !== undefined && {
          requesterId: requester,
          requesterKind: who.kind === "guest" ? "guest" : "user",
        }),
        ...(q.status && { statuses: q.status }),
        ...(q.priority && { priority: q.priority }),
        ...(q.department && { department: q.department }),
        ...(q.q && { query: q.q }),
      },
      q.cursor ? decodeCursor(q.cursor) : null,
      q.limit,
    );
    const expectations = expectationsAt(tenant, Date.now());
    return c.json(
      {
        tickets: page.tickets.map((t) => withVersionFor(who, t, toTicketView(t, expectations))),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      },
      200,
    );
  },
);

tickets.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    operationId: "getTicket",
    tags: ["Tickets"],
    summary: "A ticket with its messages and history",
    description: "Internal notes are included for staff only. Someone else's ticket answers 404.",
    security: withCredentials,
    request: { params: TicketPath },
    responses: {
      200: jsonResponse(TicketDetailResponse, "The ticket."),
      401: problems[401],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    // A guest's key is checked by the view's own read (sight "key"), so it costs no round trip of its own.
    const key = await unresolvedGuestKey(c);
    const reader: { who: Principal } | { keyHash: string } =
      key === null ? { who: await requirePrincipal(c) } : { keyHash: key };
    // One round trip: every read carries the caller's sight, so someone else's ticket reads as nothing at all.
    const { ticket, messages, history, attachments, escalation } = await readTicketDetail(
      c.env.DB,
      tenant.id,
      c.req.valid("param").id,
      "who" in reader ? sightOf(reader.who) : { kind: "key", keyHash: reader.keyHash },
      "who" in reader && !isStaff(reader.who) ? reader.who.id : null,
    );
    if (!ticket) {
      // A key that opens nothing is a 401 (and counts against wrong keys); one for another ticket, a 404.
      if (!("who" in reader)) await requirePrincipal(c);
      throw notFound();
    }
    const who = "who" in reader ? reader.who : settleGuest(c, ticket);
    const now = Date.now();
    // A reseller's staff may escalate an open ticket: the provider's name, from this isolate's tenant copy.
    const escalable = isStaff(who) && tenant.parentId !== null && !escalation && ticket.status !== "closed";
    const [files, provider] = await Promise.all([
      signedAttachmentViews(c.env, new URL(c.req.url).origin, tenant.id, attachments, now),
      escalable && tenant.parentId ? cachedTenantWithKeys(c.env.DB, tenant.parentId, now) : null,
    ]);
    return c.json(
      {
        ticket: {
          ...withVersionFor(who, ticket, toTicketView(ticket, expectationsAt(tenant, now))),
          messages: messages.map((m) => toMessageView(m, who, files.get(m.id))),
          history: history.map(toHistoryView),
          statusReason: statusReasonOf(ticket, history),
          closesAt: closesAtOf(ticket, tenant.config.autoCloseHours, now),
          ...(isStaff(who) && {
            escalation: escalation && toEscalationView(escalation),
            escalateTo: provider ? { name: provider.tenant.name } : null,
          }),
        },
      },
      200,
    );
  },
);

tickets.openapi(
  createRoute({
    method: "patch",
    path: "/{id}",
    operationId: "changeTicket",
    middleware: jsonBodyLimit(),
    tags: ["Tickets"],
    summary: "Change a ticket",
    description:
      "Staff change status, priority, department and assignee; a customer may only close (`status: closed`) or re-open (`status: open`) their own ticket. Each change is kept in the history with `reason`.",
    security: withCredentials,
    request: { params: TicketPath, body: jsonBody(PatchTicketBody) },
    responses: {
      200: jsonResponse(TicketResponse, "The ticket after the change."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
      409: problems[409],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requirePrincipal(c);
    const now = Date.now();
    const { ticket, alertIds } = await patchTicket(
      c.env,
      tenant,
      who,
      c.req.valid("param").id,
      c.req.valid("json"),
      now,
    );
    deliverSoon(c, alertIds, ticket.id);
    changedSoon(c, ticket);
    return c.json({ ticket: withVersionFor(who, ticket, toTicketView(ticket, expectationsAt(tenant, now))) }, 200);
  },
);

tickets.openapi(
  createRoute({
    method: "post",
    path: "/{id}/sensitive/reveal",
    operationId: "revealSensitive",
    tags: ["Console"],
    summary: "Reveal the sensitive field (staff only), with an audit entry",
    description:
      "The customer's write-only secret (e.g. a password), decrypted on an explicit click. An audit entry `reveal` (who, when, which ticket) is written before the value is returned; `expiresAt` (60 s on) is when the console hides it again. A ticket without a value (none given, or erased when it closed) answers 404. Customers get 404.",
    security: withEmbedToken,
    request: { params: TicketPath },
    responses: {
      200: jsonResponse(RevealResponse, "The secret, and when to hide it."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireStaff(c);
    const revealed = await revealSensitive(c.env, who, c.req.valid("param").id, Date.now());
    c.header("Cache-Control", "no-store");
    return c.json(revealed, 200);
  },
);
