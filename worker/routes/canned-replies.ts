import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { requireAdmin, requireStaff, type Staff } from "../auth/staff";
import type { AppEnv } from "../context";
import { insertAudit } from "../db/audit";
import {
  type CannedReply,
  deleteCannedReply,
  insertCannedReply,
  listCannedReplies,
  readCannedReply,
  updateCannedReply,
} from "../db/canned-replies";
import { uniqueViolation } from "../db/sql";
import { claim, writeChange } from "../db/write";
import { ApiError } from "../errors";
import { jsonBodyLimit } from "../middleware/body-limit";
import {
  CannedReplyBody,
  CannedReplyListResponse,
  CannedReplyPath,
  CannedReplyResponse,
  type CannedReplyView,
} from "../schemas/console";
import { TenantPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import { jsonBody, jsonResponse, withEmbedToken } from "./openapi";

/** `/api/v1/{tenant}/canned-replies`: the tenant's canned replies; staff read them, admins manage them (audited). */
export const cannedReplies = new OpenAPIHono<AppEnv>();

const view = (c: CannedReply): CannedReplyView => ({
  id: c.id,
  title: c.title,
  body: c.body,
  updatedAt: new Date(c.updatedAt).toISOString(),
});

const gone = () => new ApiError("not_found", "No such canned reply.");

/** Writes a canned reply's change with its audit row; a second one with the same title is refused by name. */
async function saveWithAudit(
  db: D1Database,
  steps: Parameters<typeof writeChange>[1],
  who: Staff,
  action: "canned.create" | "canned.update" | "canned.delete",
  detail: { cannedReplyId: string; title: string },
  now: number,
): Promise<void> {
  const audit = insertAudit(db, {
    tenantId: who.tenantId,
    ticketId: null,
    actorId: who.id,
    actorName: who.name,
    action,
    detail,
    createdAt: now,
  });
  try {
    const written = await writeChange(db, [...steps, audit]);
    if (written.outcome === "lost") throw gone();
  } catch (error) {
    if (uniqueViolation(error) === "canned_replies")
      throw new ApiError("conflict", `A canned reply titled "${detail.title}" already exists.`, [
        { path: "title", message: "is already the title of another canned reply" },
      ]);
    throw error;
  }
}

const adminProblems = { 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] };

cannedReplies.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listCannedReplies",
    tags: ["Console"],
    summary: "The tenant's canned replies (staff)",
    description:
      "By title. The console fills their placeholders itself (shared/placeholders.ts) before the agent edits.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      200: jsonResponse(CannedReplyListResponse, "The canned replies."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireStaff(c);
    const all = await listCannedReplies(c.env.DB, who.tenantId);
    return c.json({ cannedReplies: all.map(view) }, 200);
  },
);

cannedReplies.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "createCannedReply",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Add a canned reply (admin)",
    description:
      "Title 1–120 characters, unique per tenant (409 naming `title` otherwise); body 1–20,000 characters, with the known placeholders only (400 naming the unknown one).",
    security: withEmbedToken,
    request: { params: TenantPath, body: jsonBody(CannedReplyBody) },
    responses: { 201: jsonResponse(CannedReplyResponse, "The canned reply."), ...adminProblems, 409: problems[409] },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const { title, body } = c.req.valid("json");
    const now = Date.now();
    const reply: CannedReply = {
      id: crypto.randomUUID(),
      tenantId: who.tenantId,
      title,
      body,
      createdBy: who.id,
      createdAt: now,
      updatedAt: now,
    };
    await saveWithAudit(
      c.env.DB,
      [insertCannedReply(c.env.DB, reply)],
      who,
      "canned.create",
      { cannedReplyId: reply.id, title },
      now,
    );
    return c.json({ cannedReply: view(reply) }, 201);
  },
);

cannedReplies.openapi(
  createRoute({
    method: "put",
    path: "/{id}",
    operationId: "updateCannedReply",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Change a canned reply (admin)",
    description: "The same rules as adding one.",
    security: withEmbedToken,
    request: { params: CannedReplyPath, body: jsonBody(CannedReplyBody) },
    responses: { 200: jsonResponse(CannedReplyResponse, "The canned reply."), ...adminProblems, 409: problems[409] },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const { title, body } = c.req.valid("json");
    const id = c.req.valid("param").id;
    const now = Date.now();
    const change = { tenantId: who.tenantId, id, title, body, updatedAt: now };
    await saveWithAudit(
      c.env.DB,
      [claim(updateCannedReply(c.env.DB, change))],
      who,
      "canned.update",
      { cannedReplyId: id, title },
      now,
    );
    const saved = await readCannedReply(c.env.DB, who.tenantId, id);
    if (!saved) throw gone();
    return c.json({ cannedReply: view(saved) }, 200);
  },
);

cannedReplies.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    operationId: "deleteCannedReply",
    tags: ["Console"],
    summary: "Delete a canned reply (admin)",
    security: withEmbedToken,
    request: { params: CannedReplyPath },
    responses: { 204: { description: "Deleted." }, 401: problems[401], 403: problems[403], 404: problems[404] },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const id = c.req.valid("param").id;
    const existing = await readCannedReply(c.env.DB, who.tenantId, id);
    if (!existing) throw gone();
    await saveWithAudit(
      c.env.DB,
      [claim(deleteCannedReply(c.env.DB, who.tenantId, id))],
      who,
      "canned.delete",
      { cannedReplyId: id, title: existing.title },
      Date.now(),
    );
    return c.body(null, 204);
  },
);
