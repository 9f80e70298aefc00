import { hashParams } from "../hash";
import { QUEUE_VIEWS, type QueueSort, type QueueView } from "./types";

/**
 * Where the console is, kept in `location.hash` (`#view=unassigned&q=dns`, `#view=open&ticket=<id>`)
 * so that Back works, a reload lands in the same place and a pasted link opens the same ticket.
 */
export interface ConsoleRoute {
  tab: "queue" | "settings";
  view: QueueView;
  q: string;
  sort: QueueSort;
  ticket: string | null;
}

export const DEFAULT_ROUTE: ConsoleRoute = { tab: "queue", view: "open", q: "", sort: "activity", ticket: null };

/** The route a hash names; anything unknown or missing falls back to the default. */
export function parseRoute(hash: string): ConsoleRoute {
  const params = hashParams(hash);
  const view = params.get("view") ?? "";
  const ticket = params.get("ticket");
  return {
    tab: params.get("tab") === "settings" ? "settings" : "queue",
    view: (QUEUE_VIEWS as readonly string[]).includes(view) ? (view as QueueView) : DEFAULT_ROUTE.view,
    q: params.get("q") ?? "",
    sort: params.get("sort") === "waiting" ? "waiting" : "activity",
    ticket: ticket && /^[\w-]{1,64}$/.test(ticket) ? ticket : null,
  };
}

/** The hash for a route, defaults left out (always with `#`, so `#` alone is the default queue). */
export function formatRoute(route: ConsoleRoute): string {
  const params = new URLSearchParams();
  if (route.tab === "settings") params.set("tab", "settings");
  params.set("view", route.view);
  if (route.q) params.set("q", route.q);
  if (route.sort !== "activity") params.set("sort", route.sort);
  if (route.ticket) params.set("ticket", route.ticket);
  return `#${params}`;
}
