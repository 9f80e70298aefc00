import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireStaff } from "../auth/staff";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { presenceRoom } from "../presence/notify";
import { BEARER_PROTOCOL_PREFIX, PRESENCE_PROTOCOL } from "../presence/protocol";
import { AGENT_HEADER } from "../presence/ticket-presence";
import { TicketPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import { visibleTicket } from "../tickets/access";
import { withEmbedToken } from "./openapi";

/** `/api/v1/{tenant}/tickets/{id}/presence`: the console's WebSocket to the ticket's presence room. */
export const presence = new OpenAPIHono<AppEnv>();

/** The subprotocols a WebSocket handshake offers, in order. */
function offeredProtocols(c: Context<AppEnv>): string[] {
  return (c.req.header("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * A browser cannot set `Authorization` on a WebSocket, so it offers the token as a subprotocol,
 * `bearer.<token>`, beside `edgedesk` (kept out of the URL, which lands in logs). It becomes the
 * request's Authorization header here, so the one verification (requireStaff) reads it as usual.
 */
function bearerFromProtocols(c: Context<AppEnv>, offered: string[]): void {
  if (c.req.header("authorization") !== undefined) return;
  const token = offered.find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX))?.slice(BEARER_PROTOCOL_PREFIX.length);
  if (!token) return;
  const headers = new Headers(c.req.raw.headers);
  headers.set("authorization", `Bearer ${token}`);
  c.req.raw = new Request(c.req.raw, { headers });
}

/**
 * A page of another site must not open a socket with a token it got hold of: a browser always
 * names the page's origin on a WebSocket handshake, which must be one of the tenant's allowed
 * origins (as for CORS) or this Worker's own. Clients that are not browsers send none.
 */
function checkOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin === undefined) return;
  if (origin === new URL(c.req.url).origin || c.get("tenant").config.allowedOrigins.includes(origin)) return;
  throw new ApiError("forbidden", "This page's origin is not one of the desk's allowed origins.");
}

presence.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "watchPresence",
    tags: ["Console"],
    summary: "Who else has the ticket open or is typing (WebSocket, staff only)",
    description:
      'A WebSocket (`Upgrade: websocket`) to the ticket\'s presence room. Browsers send the embed token as a subprotocol: `Sec-WebSocket-Protocol: edgedesk, bearer.<token>`; the server answers `edgedesk`. Other clients may send `Authorization: Bearer <token>` instead. The Origin, when sent, must be one of the tenant\'s allowed origins. The server sends `{type:"presence", others:[{id, name, typing}]}` on connect and whenever the others change, and `{type:"changed", version}` when the ticket changes; the client sends `{type:"typing"}` as the agent types and `{type:"ping"}` (answered `{type:"pong"}`). See docs/console.md, "Presence".',
    security: withEmbedToken,
    request: {
      params: TicketPath,
      headers: z.object({
        upgrade: z
          .string()
          .optional()
          .openapi({ param: { name: "upgrade", in: "header" }, example: "websocket" }),
        "sec-websocket-protocol": z
          .string()
          .optional()
          .openapi({
            param: { name: "sec-websocket-protocol", in: "header" },
            description: "`edgedesk, bearer.<embed token>` from a browser.",
          }),
      }),
    },
    responses: {
      101: { description: "Switching to the WebSocket; `Sec-WebSocket-Protocol: edgedesk` when it was offered." },
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
      429: problems[429],
    },
  }),
  async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new ApiError("bad_request", "Open this address as a WebSocket (Upgrade: websocket).");
    checkOrigin(c);
    const offered = offeredProtocols(c);
    bearerFromProtocols(c, offered);
    const who = await requireStaff(c);
    const ticket = await visibleTicket(c.env.DB, who, c.req.valid("param").id);
    const room = presenceRoom(c.env, ticket.tenantId, ticket.id);
    const answer = await room.fetch("https://presence.internal/connect", {
      headers: {
        Upgrade: "websocket",
        [AGENT_HEADER]: encodeURIComponent(JSON.stringify({ id: who.id, name: who.name })),
      },
    });
    if (answer.status === 429) throw new ApiError("rate_limited", "Too many consoles have this ticket open.");
    if (answer.status !== 101 || !answer.webSocket) throw new Error(`presence room answered ${answer.status}`);
    const headers = new Headers();
    if (offered.includes(PRESENCE_PROTOCOL)) headers.set("Sec-WebSocket-Protocol", PRESENCE_PROTOCOL);
    return new Response(null, { status: 101, webSocket: answer.webSocket, headers });
  },
);
