import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { base64url, fromBase64url, utf8 } from "../auth/encoding";
import { requireStaff } from "../auth/staff";
import type { AppEnv } from "../context";
import {
  COUNT_CAP,
  countQueue,
  listQueue,
  type QueueContext,
  type QueueCursor,
  type QueueTicket,
  queueOrder,
} from "../db/queue";
import { ApiError } from "../errors";
import { type Expectations, expectationsAt } from "../hours/expectations";
import { TenantPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import { QueueCountsResponse, QueueQuery, QueueResponse, type QueueRow } from "../schemas/queue";
import type { Tenant } from "../schemas/tenant";
import { toTicketView } from "../tickets/view";
import { jsonResponse, withEmbedToken } from "./openapi";

const HOUR = 3_600_000;
/** `closing_soon`: answered tickets that auto-close within this long (jobs/auto-close.ts closes them). */
const CLOSING_SOON_MS = 24 * HOUR;

function queueContext(tenant: Tenant, agentId: string, now: number): QueueContext {
  return {
    tenantId: tenant.id,
    agentId,
    emergencyPriorities: tenant.config.emergency.priorities,
    closingBefore: now + CLOSING_SOON_MS - tenant.config.autoCloseHours * HOUR,
  };
}

function encodeCursor(c: QueueCursor): string {
  return base64url(utf8(JSON.stringify([c.sort, c.key, c.id])));
}

function decodeCursor(s: string, sort: QueueCursor["sort"]): QueueCursor {
  try {
    const [by, key, id] = JSON.parse(new TextDecoder().decode(fromBase64url(s) ?? new Uint8Array())) as unknown[];
    if (by === sort && typeof key === "number" && Number.isSafeInteger(key) && typeof id === "string")
      return { sort, key, id };
  } catch {
    // fall through to the error below
  }
  throw new ApiError("validation_failed", "cursor: is not a cursor this API gave out for this sort", [
    { path: "cursor", message: "is not a cursor this API gave out for this sort" },
  ]);
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the service column shows: the service's label, else the department's host field, else nothing. */
function serviceHostOf(tenant: Tenant, t: QueueTicket): string | null {
  if (t.serviceLabel ?? t.serviceId) return t.serviceLabel ?? t.serviceId;
  const department = tenant.config.departments.find((d) => d.id === t.department);
  const host = department?.fields.find((f) => f.kind === "host");
  const value = host ? t.fields[host.id] : undefined;
  return typeof value === "string" && value !== "" ? value : null;
}

function toQueueRow(tenant: Tenant, t: QueueTicket, expectations: Expectations): QueueRow {
  return {
    ...toTicketView(t, expectations),
    waitingSince: isoOrNull(t.waitingSince),
    respondBy: isoOrNull(t.respondBy),
    assigneeName: t.assigneeName,
    serviceHost: serviceHostOf(tenant, t),
  };
}

/** `/api/v1/{tenant}/queue`: the console's saved views (docs/console.md, "Queue"). */
export const queue = new OpenAPIHono<AppEnv>();

queue.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listQueue",
    tags: ["Console"],
    summary: "A saved view of the tenant's tickets (staff only)",
    description:
      "One page of a saved view, searched and sorted; pass `nextCursor` back as `cursor` (with the same view, search and sort) for the next page. Customers and guests get 404.",
    security: withEmbedToken,
    request: { params: TenantPath, query: QueueQuery },
    responses: {
      200: jsonResponse(QueueResponse, "One page of the view."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requireStaff(c);
    const q = c.req.valid("query");
    const now = Date.now();
    const page = await listQueue(
      c.env.DB,
      queueContext(tenant, who.id, now),
      {
        view: q.view,
        sort: q.sort,
        ...(q.q && { query: q.q }),
        ...(q.requester !== undefined && { requesterId: q.requester }),
      },
      q.cursor ? decodeCursor(q.cursor, queueOrder(q.view, q.sort)) : null,
      q.limit,
    );
    const expectations = expectationsAt(tenant, now);
    return c.json(
      {
        tickets: page.tickets.map((t) => toQueueRow(tenant, t, expectations)),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      },
      200,
    );
  },
);

queue.openapi(
  createRoute({
    method: "get",
    path: "/counts",
    operationId: "countQueue",
    tags: ["Console"],
    summary: "How many tickets each saved view holds (staff only)",
    description:
      "Counted with the views' own conditions, in one statement, each up to `cap`: a count equal to `cap` means at least that many (show it as `999+`). Customers and guests get 404.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      200: jsonResponse(QueueCountsResponse, "Each view's count, up to `cap`."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requireStaff(c);
    const counts = await countQueue(c.env.DB, queueContext(tenant, who.id, Date.now()));
    return c.json({ counts, cap: COUNT_CAP }, 200);
  },
);
