import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireStaff } from "../auth/staff";
import type { AppEnv } from "../context";
import { expectationsAt } from "../hours/expectations";
import { jsonBodyLimit } from "../middleware/body-limit";
import { EscalateBody, EscalateResponse } from "../schemas/escalation";
import { TicketPath } from "../schemas/params";
import { problem, problems } from "../schemas/problem";
import { escalateTicket } from "../tickets/escalation";
import { toTicketView } from "../tickets/view";
import { deliverWebhooksSoon } from "./deliver";
import { idempotencyKeyHeader } from "./messages";
import { jsonBody, jsonResponse, withEmbedToken } from "./openapi";

/** `/api/v1/{tenant}/tickets/{id}/escalate`: a reseller's staff hand a ticket to their provider. */
export const escalation = new OpenAPIHono<AppEnv>();

escalation.openapi(
  createRoute({
    method: "post",
    path: "/{id}/escalate",
    operationId: "escalateTicket",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Escalate a reseller's ticket to its provider (staff)",
    description:
      "The provider's tenant gets a linked ticket whose requester is the reseller (the end customer's name and email only with `includeCustomer`); this ticket goes on hold with the reason `escalated`. The provider's public answers come back as internal notes on this ticket. A ticket escalates once: again is 409. Only a reseller (a tenant with a provider) can escalate: otherwise 400.",
    security: withEmbedToken,
    request: {
      params: TicketPath,
      headers: z.object({ "idempotency-key": idempotencyKeyHeader("escalation") }),
      body: jsonBody(EscalateBody),
    },
    responses: {
      201: jsonResponse(EscalateResponse, "Escalated (also on a replay of the same Idempotency-Key)."),
      400: problem("Invalid fields, or this tenant has no provider to escalate to."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
      409: problem("Already escalated (the detail names the provider's ticket), or the ticket is closed."),
      422: problems[422],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requireStaff(c);
    const now = Date.now();
    const done = await escalateTicket(
      c.env,
      tenant,
      who,
      c.req.valid("param").id,
      c.req.valid("json"),
      c.req.valid("header")["idempotency-key"],
      now,
    );
    if (done.replayed) c.header("Idempotent-Replayed", "true");
    // The provider's side of the escalation may have webhook events too (its endpoints are not known here).
    else deliverWebhooksSoon(c, [{ kind: "webhook", tenantId: done.escalation.tenantId }]);
    const { direction, tenantId, tenantName, ticketId, number, status } = done.escalation;
    return c.json(
      {
        ticket: toTicketView(done.ticket, expectationsAt(tenant, now)),
        escalation: { direction, tenantId, tenantName, ticketId, number, status },
      },
      201,
    );
  },
);
