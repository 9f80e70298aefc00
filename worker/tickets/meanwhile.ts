/**
 * "The ticket changed since you read it": the 409 an agent gets when replying over changes their
 * view did not show (docs/console.md, "Acting on a ticket"). The reply's change claims the version
 * the view was read at (db/tickets.ts ticketStillAt), so nothing is written; this says what changed.
 */
import { type RecentEvent, readRecentEvents } from "../db/recent";
import type { Ticket } from "../db/tickets";
import { ApiError } from "../errors";

/** At most this many changes are named; more are counted. */
const NAMED = 5;

/** The 409 for a reply sent with `seenVersion` over a ticket now at `current.version`. */
export async function changedMeanwhile(
  db: D1Database,
  current: Ticket,
  seenVersion: number,
  viewerId: string,
): Promise<ApiError> {
  const missed = current.version - seenVersion;
  const events = missed > 0 ? await readRecentEvents(db, current.tenantId, current.id, Math.min(missed, NAMED)) : [];
  const changes = groupByChange(events).slice(0, Math.min(missed, NAMED));
  const named = changes.map((change) => describeChange(change, viewerId));
  const more = missed > named.length ? missed - named.length : 0;
  const what =
    missed < 0
      ? `version ${seenVersion} is not one this ticket has had`
      : [...named, ...(more ? [`${more} other ${more === 1 ? "change" : "changes"}`] : [])].join("; ");
  return new ApiError(
    "changed_meanwhile",
    `The ticket changed since you read it: ${what}. It is now ${current.status.replace("_", " ")}. Nothing was sent: read the changes, then send again.`,
    [{ path: "seenVersion", message: `is ${seenVersion}; the ticket is now at version ${current.version}` }],
  );
}

/** The rows one change wrote (a reply and its status entry, a PATCH's fields) share their time and author. */
function groupByChange(events: RecentEvent[]): RecentEvent[][] {
  const groups: RecentEvent[][] = [];
  for (const event of events) {
    const last = groups.at(-1);
    const head = last?.[0];
    if (last && head && head.createdAt === event.createdAt && head.actorId === event.actorId) last.push(event);
    else groups.push([event]);
  }
  return groups;
}

function describeChange(change: RecentEvent[], viewerId: string): string {
  const head = change[0];
  if (!head) return "a change";
  const who = head.actorId === viewerId && head.actorKind === "agent" ? "you" : head.actorName;
  const parts = change.map((e) => describeEvent(e)).filter((p, i, all) => all.indexOf(p) === i);
  return `${who} ${parts.join(" and ")}`;
}

function describeEvent(e: RecentEvent): string {
  if (e.kind === "message") {
    if (e.actorKind === "customer") return "wrote a new message";
    if (e.actorKind === "system") return "posted a notice";
    return e.internal ? "added an internal note" : "replied";
  }
  switch (e.field) {
    case "status":
      return e.to === "closed" ? "closed it" : `set the status to ${(e.to ?? "").replace("_", " ")}`;
    case "priority":
      return `set the priority to ${e.to}`;
    case "department":
      return `moved it to ${e.to}`;
    case "assignee":
      return e.to ? `assigned it to ${e.to}` : "unassigned it";
    default:
      return "changed it";
  }
}
