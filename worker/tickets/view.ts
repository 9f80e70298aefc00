// The API shapes of a ticket, its messages and its history: only assembled here (the calendar is in hours/).
import type { Principal } from "../auth/principal";
import { isStaff } from "../auth/principal";
import type { EscalationLink } from "../db/escalations";
import type { HistoryEntry } from "../db/history";
import type { MessageWithVotes } from "../db/messages";
import type { Ticket } from "../db/tickets";
import type { Expectations } from "../hours/expectations";
import type { AttachmentView, EscalationView, HistoryView, MessageView, TicketView } from "../schemas/ticket";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The API shape of a ticket. Never carries the sensitive field, only whether there is one. */
export function toTicketView(ticket: Ticket, expectations: Expectations): TicketView {
  const view: TicketView = {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    department: ticket.department,
    serviceId: ticket.serviceId,
    service: ticket.serviceId ? { id: ticket.serviceId, label: ticket.serviceLabel ?? ticket.serviceId } : null,
    fields: ticket.fields,
    requester: {
      kind: ticket.requesterKind,
      id: ticket.requesterId,
      name: ticket.requesterName,
      email: ticket.requesterEmail,
    },
    assignee: ticket.assignee,
    hasSensitive: ticket.sensitive !== null,
    createdAt: iso(ticket.createdAt),
    updatedAt: iso(ticket.updatedAt),
    lastActivityAt: iso(ticket.lastActivityAt),
    answeredAt: isoOrNull(ticket.answeredAt),
    closedAt: isoOrNull(ticket.closedAt),
  };
  // What the customer can expect while the ticket waits on staff.
  if (ticket.status === "open") view.expectedResponse = expectations(ticket.priority, ticket);
  return view;
}

export function toMessageView(m: MessageWithVotes, viewer: Principal, attachments: AttachmentView[] = []): MessageView {
  const view: MessageView = {
    id: m.id,
    author: { kind: m.authorKind, name: m.authorName },
    body: m.body,
    internal: m.internal,
    source: m.source,
    createdAt: iso(m.createdAt),
    attachments,
  };
  if (isStaff(viewer)) {
    if (m.warning === "password") view.warning = "password";
    if (m.rawKey) view.originalUrl = `/api/v1/${m.tenantId}/messages/${m.id}/original`;
  }
  if (m.authorKind === "agent" && !m.internal) {
    view.feedback = isStaff(viewer) ? { helpful: m.helpful, notHelpful: m.notHelpful } : { myVote: m.myVote };
  }
  return view;
}

export function toHistoryView(h: HistoryEntry): HistoryView {
  return {
    id: h.id,
    field: h.field,
    from: h.from,
    to: h.to,
    actor: { kind: h.actorKind, name: h.actorName },
    reason: h.reason,
    createdAt: iso(h.createdAt),
  };
}

/** Staff also see the version the ticket was read at: the console sends it back as a reply's `seenVersion`. */
export function withVersionFor(viewer: Principal, ticket: Ticket, view: TicketView): TicketView {
  return isStaff(viewer) ? { ...view, version: ticket.version } : view;
}

/** The other end of an escalation, for staff (the linked tenant's name, its ticket's number and status). */
export function toEscalationView(l: EscalationLink): EscalationView {
  return { direction: l.direction, tenantName: l.tenantName, number: l.number, status: l.status };
}
