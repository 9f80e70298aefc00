import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { html, raw } from "hono/html";
import { verifyAckSignature } from "../alerts/signature";
import { serverSecret } from "../auth/seal";
import type { AppEnv } from "../context";
import { acknowledgeAlert, readAlert } from "../db/alerts";
import { readTicket } from "../db/tickets";
import { notFound } from "../errors";
import { sendPage } from "../middleware/page-headers";
import { TenantParam } from "../schemas/params";
import { problems } from "../schemas/problem";
import { alertsAcknowledgedEvents } from "../webhooks/events";
import { deliverWebhooksSoon } from "./deliver";

const AckParams = z.object({
  tenant: TenantParam,
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, description: "The alert's id." }),
});
const AckQuery = z.object({
  sig: z.string().max(100).openapi({ description: "The signature from the alert's link." }),
});

const PAGE_STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d2433}
button{font:inherit;font-weight:600;padding:.7rem 1.4rem;border:0;border-radius:8px;background:#1f6feb;color:#fff;min-height:44px;cursor:pointer}
button:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}`;

/** The page, with a policy that allows its style and its one form (posting back to this address). */
function sendAlertPage(c: Context, title: string, body: ReturnType<typeof html>): Promise<Response> {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(PAGE_STYLE)}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
  return sendPage(c, page, { inlineStyles: [PAGE_STYLE], forms: true });
}

/** `/api/v1/{tenant}/alerts`: the pages an on-call contact reaches from an alert's link. */
export const alerts = new OpenAPIHono<AppEnv>();

const ack = {
  tags: ["Alerts"],
  path: "/{id}/ack" as const,
  request: { params: AckParams, query: AckQuery },
};

alerts.openapi(
  createRoute({
    ...ack,
    method: "get",
    operationId: "showAlertAcknowledgement",
    summary: "The acknowledgement page of an alert's link",
    description:
      "Shows what the alert is about and a button that acknowledges it (a GET never acknowledges: mail scanners follow links).",
    responses: {
      200: { description: "An HTML page.", content: { "text/html": { schema: z.string() } } },
      404: problems[404],
    },
  }),
  async (c) => {
    const { tenant, id } = c.req.valid("param");
    const { sig } = c.req.valid("query");
    if (!(await verifyAckSignature(serverSecret(c.env), tenant, id, sig))) throw notFound("alert");
    const alert = await readAlert(c.env.DB, tenant, id);
    const ticket = alert && (await readTicket(c.env.DB, tenant, alert.ticketId));
    if (!alert || !ticket) throw notFound("alert");
    const done = alert.state === "acknowledged";
    return sendAlertPage(
      c,
      done ? "Already acknowledged" : "Acknowledge this alert",
      html`<p>Ticket <strong>#${ticket.number}</strong> (${ticket.priority}): ${ticket.subject}</p>
          ${
            done
              ? html`<p>Nobody will be paged again about it.</p>`
              : html`<form method="post"><p>Acknowledging tells the rest of the on-call rota that you are on it.</p><button type="submit">I'm on it</button></form>`
          }`,
    );
  },
);

alerts.openapi(
  createRoute({
    ...ack,
    method: "post",
    operationId: "acknowledgeAlert",
    summary: "Acknowledge an alert",
    description: "Stops repeats and escalation to the next contact.",
    responses: {
      200: { description: "An HTML page.", content: { "text/html": { schema: z.string() } } },
      404: problems[404],
    },
  }),
  async (c) => {
    const { tenant, id } = c.req.valid("param");
    const { sig } = c.req.valid("query");
    if (!(await verifyAckSignature(serverSecret(c.env), tenant, id, sig))) throw notFound("alert");
    const now = Date.now();
    const by = "acknowledgement link";
    // With its webhook event (webhooks/events.ts), read before the alert is acknowledged.
    const event = alertsAcknowledgedEvents(c.env.DB, { tenantId: tenant, id: null }, by, now, { onlyId: id });
    const acknowledged = await acknowledgeAlert(c.env.DB, tenant, id, by, now, [event]);
    if (acknowledged) deliverWebhooksSoon(c);
    const alert = await readAlert(c.env.DB, tenant, id);
    if (!alert) throw notFound("alert");
    return sendAlertPage(
      c,
      acknowledged ? "Acknowledged" : "Already handled",
      html`<p>${acknowledged ? "Thanks — nobody else will be paged about this ticket." : "This alert was already acknowledged or has ended."}</p>`,
    );
  },
);
