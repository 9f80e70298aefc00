import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { requireAdmin, requireStaff } from "../auth/staff";
import { forgetStaff } from "../auth/staff-directory";
import type { AppEnv } from "../context";
import { type Agent, listAgents, readAgent, setAgentDeactivated } from "../db/agents";
import { insertAudit } from "../db/audit";
import { claim, writeChange } from "../db/write";
import { ApiError } from "../errors";
import { jsonBodyLimit } from "../middleware/body-limit";
import { TenantPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import { AgentListResponse, AgentPath, AgentResponse, type AgentView, PatchAgentBody } from "../schemas/queue";
import { jsonBody, jsonResponse, withEmbedToken } from "./openapi";

function toAgentView(a: Agent): AgentView {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    role: a.role,
    lastSeenAt: new Date(a.lastSeenAt).toISOString(),
    active: a.deactivatedAt === null,
  };
}

const noSuchAgent = () => new ApiError("not_found", "No agent with this id has used this desk.");

/** `/api/v1/{tenant}/agents`: the staff directory (docs/console.md, "Staff directory"). */
export const agents = new OpenAPIHono<AppEnv>();

agents.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listAgents",
    tags: ["Console"],
    summary: "The staff directory (staff only)",
    description:
      "Everyone who has used the console or acted as staff on this desk, added from their signed tokens: active first, then by name.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      200: jsonResponse(AgentListResponse, "The directory."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireStaff(c);
    const found = await listAgents(c.env.DB, who.tenantId);
    return c.json({ agents: found.map(toAgentView) }, 200);
  },
);

agents.openapi(
  createRoute({
    method: "patch",
    path: "/{id}",
    operationId: "changeAgent",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Deactivate or reactivate an agent (admins only)",
    description:
      "A deactivated agent's token still verifies, but every staff action and console route answers 403 (within 30 s on every isolate) and the assignee picker leaves them out. Audited as `agent.deactivate` / `agent.reactivate`. Admins cannot deactivate themselves.",
    security: withEmbedToken,
    request: { params: AgentPath, body: jsonBody(PatchAgentBody) },
    responses: {
      200: jsonResponse(AgentResponse, "The agent after the change (unchanged when already so)."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const admin = await requireAdmin(c);
    const { id } = c.req.valid("param");
    const { active } = c.req.valid("json");
    if (id === admin.id && !active)
      throw new ApiError("validation_failed", "You cannot deactivate yourself; ask another admin.", [
        { path: "active", message: "cannot be false for yourself" },
      ]);
    const db = c.env.DB;
    for (;;) {
      const agent = await readAgent(db, admin.tenantId, id);
      if (!agent) throw noSuchAgent();
      if ((agent.deactivatedAt === null) === active) return c.json({ agent: toAgentView(agent) }, 200);
      const now = Date.now();
      const change = await writeChange(db, [
        claim(setAgentDeactivated(db, admin.tenantId, id, active ? null : now)),
        insertAudit(db, {
          tenantId: admin.tenantId,
          ticketId: null,
          actorId: admin.id,
          actorName: admin.name,
          action: active ? "agent.reactivate" : "agent.deactivate",
          detail: { agent: id, name: agent.name },
          createdAt: now,
        }),
      ]);
      // Lost: someone (de)activated them meanwhile; read again and answer with what holds.
      if (change.outcome === "lost") continue;
      forgetStaff(admin.tenantId, id);
      return c.json({ agent: toAgentView({ ...agent, deactivatedAt: active ? null : now }) }, 200);
    }
  },
);
