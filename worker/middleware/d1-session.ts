import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { sessionDatabase } from "../db/session";

/**
 * The header that carries a D1 bookmark both ways, as in Cloudflare's own examples: every API
 * answer names the database state the request saw or wrote, and a client that sends it back
 * reads at least that state.
 */
export const BOOKMARK_HEADER = "x-d1-bookmark";

/** D1 bookmarks are lexicographically sortable strings of hex groups and dashes. Anything else is ignored. */
const BOOKMARK = /^[0-9a-f]{1,32}(-[0-9a-f]{1,32}){1,7}$/i;

/**
 * Reads from the nearest replica without losing a person's own writes (D1's Sessions API).
 * Each API request runs in one D1 session: `first-unconstrained` (its first query may go to any
 * replica; the rest stay consistent with it) unless the client sends back the bookmark of its
 * last answer, in which case every read sees at least what that answer saw or wrote. The widget
 * keeps the latest bookmark (widget/api.ts) and sends it with every request, so a customer who
 * has just filed a ticket always finds it in their list, even when the list is read from a
 * replica that has not caught up with others' writes. Writes go to the primary either way.
 *
 * The session replaces `env.DB` for the request, so every handler and db/ function uses it
 * without knowing. Opening a session costs no round trip. A stale or unknown bookmark is ignored
 * rather than refused: it can only make a read more recent, never break a customer's request.
 * Jobs (cron, queue consumers, mail) read the primary through the plain binding.
 */
export function d1Session(): MiddlewareHandler<AppEnv> {
  return async function d1Session(c, next) {
    const sent = c.req.header(BOOKMARK_HEADER);
    const db = c.env.DB;
    const session = db.withSession(sent && BOOKMARK.test(sent) ? sent : "first-unconstrained");
    c.env = { ...c.env, DB: sessionDatabase(db, session) };
    await next();
    const bookmark = session.getBookmark();
    if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
  };
}
