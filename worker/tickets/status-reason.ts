/**
 * Why a ticket is in its status, and when an answered one closes by itself: what the customer's
 * thread says beside the status (SPEC "Statuses"). Worked out from the ticket and its history,
 * which the view reads in its one batch, so it costs no round trip.
 */
import type { HistoryEntry } from "../db/history";
import type { Ticket } from "../db/tickets";
import type { Status, StatusReasonView } from "../schemas/ticket";
import { autoCloseAt, CLOSING_SOON_HOURS, RESOLVED_BY_CUSTOMER, statusChangeReason } from "./lifecycle";

const HOUR_MS = 3_600_000;
/** The history reason escalation writes (db/escalations.ts insertEscalatedHistory). */
const ESCALATED = "escalated";

/** The words a person wrote for a change, or null when the reason is the one the system fills in. */
function ownWords(entry: HistoryEntry): string | null {
  const from = (entry.from ?? "open") as Status;
  const to = (entry.to ?? "open") as Status;
  const actor = { kind: entry.actorKind, id: entry.actorId, name: entry.actorName };
  const generic = [statusChangeReason(from, to, actor, "patch"), statusChangeReason(from, to, actor, "message")];
  const reason = entry.reason.trim();
  return reason && !generic.includes(reason) ? reason : null;
}

/** The reason for an `on_hold` or `closed` ticket, from the history entry that set that status; else null. */
export function statusReasonOf(ticket: Ticket, history: readonly HistoryEntry[]): StatusReasonView | null {
  if (ticket.status !== "on_hold" && ticket.status !== "closed") return null;
  const entry = history.findLast((h) => h.field === "status" && h.to === ticket.status);
  if (!entry) return null;
  const at = new Date(entry.createdAt).toISOString();
  if (ticket.status === "on_hold")
    return entry.reason === ESCALATED
      ? { kind: "escalated", note: null, at }
      : { kind: "on_hold", note: entry.actorKind === "agent" ? ownWords(entry) : null, at };
  if (entry.actorKind === "system") return { kind: "closed_automatically", note: null, at };
  if (entry.actorKind === "customer")
    return entry.reason === RESOLVED_BY_CUSTOMER
      ? { kind: "resolved_by_customer", note: null, at }
      : { kind: "closed_by_customer", note: null, at };
  return { kind: "closed_by_staff", note: ownWords(entry), at };
}

/**
 * When an answered ticket closes by itself, from `CLOSING_SOON_HOURS` before that (when its
 * closing-soon notice goes out); null before then, and for any other status.
 */
export function closesAtOf(ticket: Ticket, autoCloseHours: number, now: number): string | null {
  if (ticket.status !== "answered" || ticket.answeredAt === null) return null;
  const closes = autoCloseAt(ticket.answeredAt, autoCloseHours);
  return now >= closes - CLOSING_SOON_HOURS * HOUR_MS ? new Date(closes).toISOString() : null;
}
