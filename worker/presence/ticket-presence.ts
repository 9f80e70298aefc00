/**
 * One ticket's presence room: a Durable Object (one per tenant and ticket, `idFromName("tenant:ticket")`)
 * holding the console's WebSockets with the Hibernation API. Between messages the object may be
 * evicted from memory while the sockets stay connected (no duration billed for idle sockets), so it
 * keeps nothing in fields: who each socket is lives in the socket's attachment, the typing expiry in
 * the object's alarm. Pings are answered by the runtime (setWebSocketAutoResponse) without waking it.
 *
 * Only the Worker reaches this object (routes/presence.ts), after it verified the agent and their
 * sight of the ticket; it passes who they are in the `Edgedesk-Agent` header, trusted for that reason.
 */
import { DurableObject } from "cloudflare:workers";
import {
  MAX_SOCKETS_PER_TICKET,
  PING,
  PONG,
  type PresenceServerMessage,
  type PresentAgent,
  TYPING_MS,
} from "./protocol";

/** What the room reads of the Worker's environment. */
interface PresenceEnv {
  /** Milliseconds "typing" lasts after the last keystroke message; tests shorten it. Default TYPING_MS. */
  PRESENCE_TYPING_MS?: string;
}

/** Who a socket belongs to and until when they are typing (0: not typing); kept across hibernation. */
interface SocketState {
  id: string;
  name: string;
  typingUntil: number;
}

/** The header by which the Worker tells the room who connects: URI-encoded JSON `{ id, name }`. */
export const AGENT_HEADER = "Edgedesk-Agent";

/** The longest client message read; anything longer is not one of ours and is ignored. */
const MAX_MESSAGE_CHARS = 200;

export class TicketPresence extends DurableObject<PresenceEnv> {
  constructor(ctx: DurableObjectState, env: PresenceEnv) {
    super(ctx, env);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Accepts one agent's socket (the Worker already checked them); everyone is told the new roster. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("expected a WebSocket upgrade", { status: 426 });
    const agent = parseAgent(request.headers.get(AGENT_HEADER));
    if (!agent) return new Response("no agent", { status: 400 });
    if (this.#open().length >= MAX_SOCKETS_PER_TICKET)
      return new Response("too many sockets on this ticket", { status: 429 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.#update(() => {
      this.ctx.acceptWebSocket(server);
      server.serializeAttachment({ ...agent, typingUntil: 0 } satisfies SocketState);
    }, server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** `{type:"typing"}` marks the sender's agent as typing for the next few seconds. Pings never get here. */
  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string" || message.length > MAX_MESSAGE_CHARS) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (typeof parsed !== "object" || parsed === null || (parsed as { type?: unknown }).type !== "typing") return;
    const state = stateOf(ws);
    if (!state) return;
    const until = Date.now() + this.#typingMs();
    this.#update(() => ws.serializeAttachment({ ...state, typingUntil: until } satisfies SocketState));
    // Every expiry is "now + the same duration", so an alarm already set fires no later than this one would.
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(until);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.#leave(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#leave(ws, 1011, "error");
  }

  /** Typing expires: whoever stopped sending `typing` is shown as not typing; the alarm is set for the next expiry. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    this.#update(() => {
      for (const ws of this.#open()) {
        const state = stateOf(ws);
        if (!state || state.typingUntil === 0) continue;
        if (state.typingUntil <= now) ws.serializeAttachment({ ...state, typingUntil: 0 } satisfies SocketState);
        else next = Math.min(next, state.typingUntil);
      }
    });
    if (next !== Number.POSITIVE_INFINITY) await this.ctx.storage.setAlarm(next);
  }

  /** Tells every open console the ticket changed (called by `notifyChanged`, presence/notify.ts). */
  async changed(version: number): Promise<void> {
    this.#send(this.#open(), { type: "changed", version });
  }

  /** How many sockets are open, and the roster: for tests and diagnostics. */
  async snapshot(): Promise<{ sockets: number; agents: PresentAgent[] }> {
    const open = this.#open();
    return { sockets: open.length, agents: [...roster(open).values()] };
  }

  #typingMs(): number {
    const configured = Number(this.env.PRESENCE_TYPING_MS);
    return Number.isFinite(configured) && configured > 0 ? configured : TYPING_MS;
  }

  /** The sockets still open, but `leaving`. */
  #open(leaving?: WebSocket): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws !== leaving && ws.readyState === WebSocket.OPEN);
  }

  #leave(ws: WebSocket, code: number, reason: string): void {
    this.#update(
      () => {
        try {
          // The Hibernation API leaves the closing handshake to us (else the client waits, then sees
          // 1006); reserved codes a peer's close may report cannot be sent back, so 1000 instead.
          ws.close([1005, 1006, 1015].includes(code) ? 1000 : code, reason);
        } catch {
          // already closed
        }
      },
      undefined,
      ws,
    );
  }

  /**
   * Runs `change`, then sends each socket whose view of the others changed its new view (and
   * `greet`, a socket that just joined, its first). An agent's second tab changes nothing the others
   * see, so it sends them nothing; an agent's own typing is not news to their own tabs.
   */
  #update(change: () => void, greet?: WebSocket, leaving?: WebSocket): void {
    // What the others were last told about: every socket listed, and the one leaving (which the
    // runtime no longer lists while its close handler runs).
    const listed = this.ctx.getWebSockets();
    const before = roster(leaving && !listed.includes(leaving) ? [...listed, leaving] : listed);
    change();
    const open = this.#open(leaving);
    const after = roster(open);
    for (const ws of open) {
      const me = stateOf(ws)?.id;
      const others = othersOf(after, me);
      if (ws === greet || JSON.stringify(others) !== JSON.stringify(othersOf(before, me)))
        this.#send([ws], { type: "presence", others });
    }
  }

  #send(sockets: WebSocket[], message: PresenceServerMessage): void {
    const text = JSON.stringify(message);
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        // closed meanwhile: its close handler updates the others
      }
    }
  }
}

function stateOf(ws: WebSocket): SocketState | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const { id, name, typingUntil } = value as Partial<SocketState>;
  return typeof id === "string" && typeof name === "string" && typeof typingUntil === "number"
    ? { id, name, typingUntil }
    : null;
}

/** The agents on the ticket, one entry per agent (however many tabs), typing if any tab is, by name. */
function roster(sockets: WebSocket[]): Map<string, PresentAgent> {
  const agents = new Map<string, PresentAgent>();
  for (const ws of sockets) {
    const state = stateOf(ws);
    if (!state) continue;
    // Typing until the alarm clears it (not by the clock), so the alarm sees the change it makes.
    const typing = state.typingUntil !== 0;
    const known = agents.get(state.id);
    agents.set(state.id, { id: state.id, name: state.name, typing: typing || (known?.typing ?? false) });
  }
  return new Map([...agents].sort(([, a], [, b]) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
}

/** The roster as one agent sees it: everyone but themselves. */
const othersOf = (agents: Map<string, PresentAgent>, me: string | undefined) =>
  [...agents.values()].filter((a) => a.id !== me);

function parseAgent(header: string | null): { id: string; name: string } | null {
  if (!header) return null;
  try {
    const value: unknown = JSON.parse(decodeURIComponent(header));
    const { id, name } = (value ?? {}) as { id?: unknown; name?: unknown };
    return typeof id === "string" && id && typeof name === "string" ? { id, name } : null;
  } catch {
    return null;
  }
}
