import type { ReactiveController, ReactiveControllerHost } from "lit";
import {
  BEARER_PROTOCOL_PREFIX,
  PING,
  PRESENCE_PROTOCOL,
  type PresenceServerMessage,
  type PresentAgent,
} from "../../worker/presence/protocol";
import type { Session } from "../session";

/** At most one `typing` message per this many milliseconds (the server keeps "typing" for 5 s after each). */
export const TYPING_EVERY_MS = 2_000;
/** A ping this often keeps proxies from closing a quiet socket; the server answers without waking up. */
const PING_EVERY_MS = 30_000;
/** Reconnecting waits 1 s, 2 s, 4 s… up to this, with jitter, after each failure. */
const MAX_BACKOFF_MS = 30_000;

/** What the controller needs of the console's session: the API's address and the agent's token. */
export type PresenceSession = Pick<Session, "credentials"> & { client: Pick<Session["client"], "url"> };

/**
 * Who else has the ticket open or is typing, for the console's ticket view
 * (`GET /tickets/{id}/presence`, a WebSocket; docs/console.md, "Presence"). Connects when the
 * ticket id is set, follows it when it changes, reconnects with backoff (asking for a fresh token),
 * and closes when the host leaves the page.
 *
 * ```ts
 * #presence = new PresenceController(this, this.session, () => this.ticketId);
 * // render: this.#presence.others; on input in the reply box: this.#presence.typing()
 * ```
 */
export class PresenceController implements ReactiveController {
  /** The other agents on the ticket (each once, however many tabs), by name. */
  others: PresentAgent[] = [];
  /** The ticket's version as last announced by the server (`changed`), or null. Compare with the view's. */
  changedVersion: number | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #session: PresenceSession;
  readonly #ticketId: () => string | undefined;
  #socket: WebSocket | undefined;
  /** The ticket the current (or pending) socket is for. */
  #current: string | undefined;
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #ping: ReturnType<typeof setInterval> | undefined;
  #lastTyping = 0;

  constructor(host: ReactiveControllerHost, session: PresenceSession, ticketId: () => string | undefined) {
    this.#host = host;
    this.#session = session;
    this.#ticketId = ticketId;
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdated(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#stop();
    this.#current = undefined;
  }

  /** Whether the socket is open (the others are live); false while connecting or waiting to reconnect. */
  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Call as the agent types in the reply box: the others see "typing" within a moment, for about 5 s. */
  typing(): void {
    const now = Date.now();
    if (now - this.#lastTyping < TYPING_EVERY_MS || this.#socket?.readyState !== WebSocket.OPEN) return;
    this.#lastTyping = now;
    this.#socket.send(JSON.stringify({ type: "typing" }));
  }

  /** Connects to the ticket the host shows now, if it is not the one connected to. */
  #follow(): void {
    const id = this.#ticketId();
    if (id === this.#current) return;
    this.#stop();
    this.#current = id;
    this.#failures = 0;
    this.#set([], null);
    if (id) void this.#open(id);
  }

  async #open(id: string): Promise<void> {
    let token: string;
    try {
      // After a failure the refusal may have been the token's: ask the host panel for a fresh one.
      const credentials = await this.#session.credentials(this.#failures > 0);
      if (credentials.kind !== "token") return;
      token = credentials.token;
    } catch {
      this.#again(id);
      return;
    }
    if (id !== this.#current) return;
    const url = new URL(this.#session.client.url(`/tickets/${encodeURIComponent(id)}/presence`), location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    // The token rides as a subprotocol (a browser cannot set Authorization on a WebSocket), not in the URL.
    const socket = new WebSocket(url, [PRESENCE_PROTOCOL, `${BEARER_PROTOCOL_PREFIX}${token}`]);
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      const message = parse(event.data);
      if (!message || socket !== this.#socket) return;
      this.#failures = 0;
      if (message.type === "presence") this.#set(message.others, this.changedVersion);
      else if (message.type === "changed") this.#set(this.others, message.version);
    });
    socket.addEventListener("open", () => {
      this.#ping = setInterval(() => socket.send(PING), PING_EVERY_MS);
    });
    socket.addEventListener("close", () => {
      if (socket !== this.#socket) return;
      this.#stop();
      this.#set([], this.changedVersion);
      this.#again(id);
    });
  }

  /** Tries again after a backoff, unless the host moved on meanwhile. */
  #again(id: string): void {
    if (id !== this.#current) return;
    const wait = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** this.#failures) * (0.75 + Math.random() / 2);
    this.#failures += 1;
    this.#retry = setTimeout(() => {
      if (id === this.#current) void this.#open(id);
    }, wait);
  }

  #stop(): void {
    clearTimeout(this.#retry);
    clearInterval(this.#ping);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "closed");
  }

  #set(others: PresentAgent[], version: number | null): void {
    if (others === this.others && version === this.changedVersion) return;
    this.others = others;
    this.changedVersion = version;
    this.#host.requestUpdate();
  }
}

function parse(data: unknown): PresenceServerMessage | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as { type?: unknown };
    return value.type === "presence" || value.type === "changed" ? (value as PresenceServerMessage) : null;
  } catch {
    return null;
  }
}
