import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { base64url, fromBase64url, utf8 } from "../auth/encoding";
import { requireAdmin } from "../auth/staff";
import type { AppEnv } from "../context";
import { type AuditCursor, listAudit } from "../db/audit-log";
import { ApiError } from "../errors";
import { AuditListResponse, AuditQuery } from "../schemas/console";
import { TenantPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import { jsonResponse, withEmbedToken } from "./openapi";

function encodeCursor(c: AuditCursor): string {
  return base64url(utf8(JSON.stringify([c.createdAt, c.id])));
}

function decodeCursor(s: string): AuditCursor {
  try {
    const [t, id] = JSON.parse(new TextDecoder().decode(fromBase64url(s) ?? new Uint8Array())) as unknown[];
    if (typeof t === "number" && Number.isSafeInteger(t) && typeof id === "string") return { createdAt: t, id };
  } catch {
    // fall through to the error below
  }
  throw new ApiError("validation_failed", "cursor: is not a cursor this API gave out", [
    { path: "cursor", message: "is not a cursor this API gave out" },
  ]);
}

/** `/api/v1/{tenant}/audit`: what the tenant's staff did, for its admins. */
export const audit = new OpenAPIHono<AppEnv>();

audit.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listAudit",
    tags: ["Console"],
    summary: "The audit log (admin)",
    description:
      "Every staff action (reply, note, status/priority/department/assignee change, reveal, canned-reply edits, …), newest first; filter by `ticket` and/or `agent`; pass `nextCursor` back as `cursor` for the next page. Agents get 403, customers 404.",
    security: withEmbedToken,
    request: { params: TenantPath, query: AuditQuery },
    responses: {
      200: jsonResponse(AuditListResponse, "One page of entries."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const q = c.req.valid("query");
    const page = await listAudit(
      c.env.DB,
      {
        tenantId: who.tenantId,
        ...(q.ticket !== undefined && { ticketId: q.ticket }),
        ...(q.agent !== undefined && { actorId: q.agent }),
      },
      q.cursor ? decodeCursor(q.cursor) : null,
      q.limit,
    );
    return c.json(
      {
        entries: page.entries.map((e) => ({
          id: e.id,
          ticketId: e.ticketId,
          actor: { id: e.actorId, name: e.actorName },
          action: e.action,
          detail: e.detail,
          createdAt: new Date(e.createdAt).toISOString(),
        })),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      },
      200,
    );
  },
);
