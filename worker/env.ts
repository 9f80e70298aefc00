import type { DeadLetter, Delivery } from "./jobs/delivery";
import type { TicketPresence } from "./presence/ticket-presence";

/** Bindings and variables of the Worker (see wrangler.toml and `wrangler secret`). */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  /** Notices and alerts to deliver, consumed by this Worker's queue() (wrangler.toml [[queues]]). */
  DELIVERIES: Queue<Delivery>;
  /** Messages the consumer could not use, each with its reason; kept for an operator to read. */
  DEAD_LETTERS: Queue<DeadLetter>;
  /** Rate limits, one namespace per allowance a tenant can choose (wrangler.toml [[ratelimits]]). */
  RATE_5_PER_10S: RateLimit;
  RATE_5_PER_MIN: RateLimit;
  RATE_10_PER_MIN: RateLimit;
  RATE_30_PER_MIN: RateLimit;
  RATE_100_PER_MIN: RateLimit;
  RATE_1000_PER_MIN: RateLimit;
  /** One presence room per ticket: who else has it open or is typing (presence/ticket-presence.ts). */
  PRESENCE: DurableObjectNamespace<TicketPresence>;
  /** Milliseconds "typing" lasts after an agent's last keystroke message (default 5000); the tests shorten it. */
  PRESENCE_TYPING_MS?: string;
  /** Bearer secret of the provider's admin API; set with `wrangler secret put ADMIN_SECRET`. */
  ADMIN_SECRET?: string;
  /** Key material for encrypting the sensitive field at rest; `wrangler secret put SECRETS_KEY`. */
  SECRETS_KEY?: string;
  MAX_JSON_BYTES?: string;
  /** This Worker's public origin, for links in alerts and mail (e.g. https://desk.example.com). */
  PUBLIC_URL?: string;
  /** How mail leaves: "outbox" (a D1 table; the default), "send_email" (the EMAIL binding) or "http". */
  MAIL_TRANSPORT?: string;
  /** Cloudflare's send_email binding, when MAIL_TRANSPORT is "send_email" (see wrangler.toml). */
  EMAIL?: SendEmail;
  /** An HTTP mail API, when MAIL_TRANSPORT is "http": its URL, key (a secret) and JSON body template. */
  MAIL_HTTP_URL?: string;
  MAIL_HTTP_KEY?: string;
  MAIL_HTTP_TEMPLATE?: string;
  /** "true" answers each request with its D1 round trips (`Edgedesk-D1` header); for `npm run bench`, never production. */
  DEBUG_D1_COUNTS?: string;
}
