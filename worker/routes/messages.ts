import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { attachmentViews } from "../attachments/service";
import { isStaff, requirePrincipal } from "../auth/principal";
import type { AppEnv } from "../context";
import { readMessage } from "../db/messages";
import { ApiError } from "../errors";
import { expectationsAt } from "../hours/expectations";
import { jsonBodyLimit } from "../middleware/body-limit";
import { rateLimit } from "../middleware/rate-limit";
import { changedSoon } from "../presence/notify";
import { MessagePath, TicketPath } from "../schemas/params";
import { problem, problems } from "../schemas/problem";
import { type AttachmentView, FeedbackBody, FeedbackResponse, ReplyBody, ReplyResponse } from "../schemas/ticket";
import { uploaderOf } from "../tickets/access";
import { voteOnMessage } from "../tickets/feedback";
import { addMessage } from "../tickets/reply";
import { toMessageView, toTicketView, withVersionFor } from "../tickets/view";
import { deliverSoon, deliverWebhooksSoon } from "./deliver";
import { jsonBody, jsonResponse, withCredentials, withEmbedToken } from "./openapi";

/** The Idempotency-Key header of a request that writes `what` (a ticket, a reply): a retry with it is answered, not repeated. */
export function idempotencyKeyHeader(what: string) {
  return z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, "1 to 200 visible ASCII characters")
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: `Send the same key when retrying: the first ${what} is returned, never a second one.`,
    });
}

/** `/api/v1/{tenant}/tickets/{id}/messages`: replying to a ticket. */
export const replies = new OpenAPIHono<AppEnv>();

replies.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "replyToTicket",
    middleware: [jsonBodyLimit(), rateLimit("replies")] as const,
    tags: ["Tickets"],
    summary: "Reply to a ticket",
    description:
      "A customer's reply sets the ticket `open` (re-opening a closed one); a staff public reply sets `answered`, or the `status` sent with it (with `reason`, kept in the history); a staff `internal: true` note changes nothing the customer sees. Without `seenVersion` a reply never fails because the ticket changed meanwhile; staff sending `seenVersion` get 409 `changed_meanwhile` (nothing written) when it did. With an `Idempotency-Key` (per caller and ticket), a retry answers with the first message and `Idempotent-Replayed: true`.",
    security: withCredentials,
    request: {
      params: TicketPath,
      headers: z.object({ "idempotency-key": idempotencyKeyHeader("message") }),
      body: jsonBody(ReplyBody),
    },
    responses: {
      201: jsonResponse(
        ReplyResponse,
        "The new message and the ticket after it (also on a replay of the same Idempotency-Key).",
      ),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
      409: problems[409],
      413: problems[413],
      415: problems[415],
      429: problems[429],
      422: problem(
        "The Idempotency-Key was used for a different request, or an attachment was refused: too many, or not an upload of yours waiting to be attached (`errors` names it).",
      ),
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requirePrincipal(c);
    const now = Date.now();
    const body = c.req.valid("json");
    const { message, ticket, alertIds, relayedTo, replayed } = await addMessage(
      c.env,
      tenant,
      who,
      c.req.valid("param").id,
      body,
      now,
      { source: "web", uploader: uploaderOf(who) },
      c.req.valid("header")["idempotency-key"],
    );
    if (replayed) c.header("Idempotent-Replayed", "true");
    // A provider's answer relayed to a reseller's ticket: the reseller's endpoints hear of it too.
    deliverSoon(c, alertIds, message.ticketId, relayedTo ? [{ kind: "webhook", tenantId: relayedTo }] : []);
    // Consoles that have the ticket open hear of the new message (presence/notify.ts).
    if (!replayed) changedSoon(c, ticket);
    // A message without files (unless it is the first request's, replayed) has none to sign.
    const files =
      replayed || body.attachmentIds?.length
        ? await attachmentViews(
            c.env,
            new URL(c.req.url).origin,
            tenant.id,
            { ticketId: message.ticketId, messageId: message.id },
            now,
          )
        : new Map<string, AttachmentView[]>();
    return c.json(
      {
        message: toMessageView({ ...message, helpful: 0, notHelpful: 0, myVote: null }, who, files.get(message.id)),
        ticket: withVersionFor(who, ticket, toTicketView(ticket, expectationsAt(tenant, now))),
      },
      201,
    );
  },
);

/** `/api/v1/{tenant}/messages`: one message: its original mail, and votes on it. */
export const messages = new OpenAPIHono<AppEnv>();

messages.openapi(
  createRoute({
    method: "get",
    path: "/{id}/original",
    operationId: "getOriginalMail",
    tags: ["Tickets"],
    summary: "The original mail of a message that came by email (staff only)",
    description: "The message as it arrived (RFC 822), shown as plain text: never rendered as HTML, never sniffed.",
    security: withEmbedToken,
    request: { params: MessagePath },
    responses: {
      200: { description: "The raw mail.", content: { "text/plain": { schema: z.string() } } },
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const who = await requirePrincipal(c);
    if (!isStaff(who)) throw new ApiError("forbidden", "The original mail is for staff.");
    const message = await readMessage(c.env.DB, tenant.id, c.req.valid("param").id);
    const object = message?.rawKey ? await c.env.FILES.get(message.rawKey) : null;
    if (!message || !object) throw new ApiError("not_found", "No such message, or it did not come by mail.");
    return c.text(await object.text(), 200, {
      "Content-Disposition": `inline; filename="message-${message.id}.eml"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      "Cache-Control": "private, no-store",
    });
  },
);

messages.openapi(
  createRoute({
    method: "post",
    path: "/{id}/feedback",
    operationId: "voteOnMessage",
    middleware: jsonBodyLimit(),
    tags: ["Tickets"],
    summary: "Vote on a staff reply: was this helpful?",
    description: "One vote per customer per reply; voting again changes it. Staff see the counts on the ticket.",
    security: withCredentials,
    request: { params: MessagePath, body: jsonBody(FeedbackBody) },
    responses: {
      200: jsonResponse(FeedbackResponse, "The vote, as recorded."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requirePrincipal(c);
    const { helpful } = c.req.valid("json");
    const messageId = c.req.valid("param").id;
    await voteOnMessage(c.env, who, messageId, helpful, Date.now());
    deliverWebhooksSoon(c);
    return c.json({ feedback: { myVote: helpful } }, 200);
  },
);
