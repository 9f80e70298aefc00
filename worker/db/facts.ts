/**
 * Planning a change without reading the ticket first (one round trip: a reply). Some of a
 * change's rows depend on facts of the ticket that the request does not know: its priority,
 * whether its requester is a guest, whether it is about a service (they decide whether a reply
 * pages and its respond-by deadline). The plan answers for every combination of those facts (a
 * handful: priorities × requester kind × service or not) in a JSON table, and the statement picks
 * the ticket's own answer in SQL with `FACTS_ANSWER`. The rule stays in TypeScript (alerts/,
 * hours/); SQL only looks the answer up.
 */
import { PRIORITIES, type Priority } from "../schemas/ticket";

/** The facts of a ticket a plan may depend on. Only whether there is a service matters, not which. */
export interface TicketFacts {
  priority: Priority;
  requesterKind: "user" | "guest";
  serviceId: string | null;
}

/** A JSON object: factsKey → the plan's answer for a ticket with those facts. Absent or null: no answer. */
export type FactsTable = string & { readonly __factsTable: true };

const factsKey = (f: TicketFacts) => `${f.priority}:${f.requesterKind}:${f.serviceId === null ? 0 : 1}`;

/** The answer for every combination of facts, as a table for `FACTS_ANSWER`. */
export function byFacts<T>(answer: (facts: TicketFacts) => T): FactsTable {
  const table: Record<string, T> = {};
  for (const priority of PRIORITIES)
    for (const requesterKind of ["user", "guest"] as const)
      for (const serviceId of [null, "any"]) {
        const facts = { priority, requesterKind, serviceId };
        table[factsKey(facts)] = answer(facts);
      }
  return JSON.stringify(table) as FactsTable;
}

/**
 * SQL: the answer in the table bound at parameter `param` for the ticket aliased `t` (the
 * same key as factsKey; SQLite writes a boolean as 0 or 1).
 */
export const FACTS_ANSWER = (param: string) =>
  `json_extract(${param}, '$."' || t.priority || ':' || t.requester_kind || ':' || (t.service_id IS NOT NULL) || '"')`;
