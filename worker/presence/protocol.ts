/**
 * The presence channel's words: what the ticket's Durable Object and the console say to each other
 * over the WebSocket of `GET /api/v1/{tenant}/tickets/{id}/presence` (docs/console.md, "Presence").
 * Types and constants only, so the widget can import them without pulling in the Worker.
 */

/** The subprotocol both sides name; the browser offers it with the token, the server answers with it. */
export const PRESENCE_PROTOCOL = "edgedesk";
/** The prefix of the second subprotocol value the browser offers: `bearer.<embed token>`. */
export const BEARER_PROTOCOL_PREFIX = "bearer.";

/** Sent by the client to keep the connection alive; answered with PONG without waking the object. */
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

/** How long "typing" lasts after the agent's last keystroke message, unless PRESENCE_TYPING_MS says otherwise. */
export const TYPING_MS = 5_000;

/** The most sockets one ticket holds at once (every tab of every agent); more are refused with 429. */
export const MAX_SOCKETS_PER_TICKET = 64;

/** Another agent on the same ticket, as one receiving agent sees them (one entry per agent, not per tab). */
export interface PresentAgent {
  id: string;
  name: string;
  typing: boolean;
}

/** What the server sends. */
export type PresenceServerMessage =
  /** Everyone else on the ticket now: sent on connect and whenever that changes. */
  | { type: "presence"; others: PresentAgent[] }
  /** The ticket changed (a reply, a note, a status change): its new `version`. */
  | { type: "changed"; version: number }
  | { type: "pong" };

/** What the client sends: `typing` as the agent types (at most every couple of seconds), `ping` to keep alive. */
export type PresenceClientMessage = { type: "typing" } | { type: "ping" };
