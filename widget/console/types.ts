/**
 * The console's API shapes (docs/console.md), as the widget reads them. Types only; where the
 * Worker exports a schema's type the console imports it instead.
 */
import type { QueueView } from "../../shared/queue-views";
import type { TicketDetail, TicketView } from "../types";

export { QUEUE_VIEWS, type QueueView } from "../../shared/queue-views";
export type QueueSort = "activity" | "waiting";

/** A row of GET /queue: the customer API's ticket and what the queue adds. */
export type QueueRow = TicketView & {
  waitingSince: string | null;
  respondBy: string | null;
  assigneeName: string | null;
  serviceHost: string | null;
};

export interface QueuePage {
  tickets: QueueRow[];
  nextCursor: string | null;
}

export type QueueCounts = Record<QueueView, number>;

export interface Agent {
  id: string;
  name: string;
  email: string;
  role: "agent" | "admin";
  lastSeenAt: string | null;
  active: boolean;
}

export interface CannedReply {
  id: string;
  title: string;
  body: string;
  updatedAt: string;
}

export interface Escalation {
  direction: "to_provider" | "from_reseller";
  tenantName: string;
  number: number;
  status: TicketView["status"];
}

/**
 * GET /tickets/{id} as staff read it: the version it was read at, the escalation link and, for a
 * reseller's ticket that can be escalated, the provider it would go to (`escalateTo`: staff-only,
 * never in the public config, which would tell a reseller's customers its provider's name).
 */
export type StaffTicket = TicketDetail & {
  version?: number | undefined;
  escalation?: Escalation | null | undefined;
  escalateTo?: { name: string } | null | undefined;
};

/** How often the queue asks for its counts again while it is on screen: new tickets show in them without a reload. */
export const COUNTS_EVERY_MS = 60_000;
