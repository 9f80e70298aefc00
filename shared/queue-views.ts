/**
 * The console's saved views, as `GET /queue?view=` names them (docs/console.md, "Queue"): one
 * list for the Worker's schema and queries, the console and the bench. Pure: no imports.
 */
export const QUEUE_VIEWS = [
  "mine",
  "unassigned",
  "open",
  "waiting",
  "on_hold",
  "emergencies",
  "alerts",
  "closing_soon",
  "all",
] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];
