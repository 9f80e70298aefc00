import type { ApiProblem } from "./api";

export interface TicketSummary {
  id: string;
  number: number;
  subject: string;
  status: string;
}

/** Fired when a ticket was filed. Bubbles out of the shadow root. */
export class TicketCreatedEvent extends CustomEvent<{ ticket: TicketSummary }> {
  static readonly type = "edgedesk-ticket-created";
  constructor(ticket: TicketSummary) {
    super(TicketCreatedEvent.type, { detail: { ticket }, bubbles: true, composed: true });
  }
}

/** Fired when a reply was sent on a ticket. */
export class ReplySentEvent extends CustomEvent<{ ticketId: string; messageId: string }> {
  static readonly type = "edgedesk-reply-sent";
  constructor(ticketId: string, messageId: string) {
    super(ReplySentEvent.type, { detail: { ticketId, messageId }, bubbles: true, composed: true });
  }
}

/** Fired when a request failed; `detail` carries the problem the person was shown. */
export class ErrorEvent extends CustomEvent<{ status: number; code: string; detail: string }> {
  static readonly type = "edgedesk-error";
  constructor(problem: ApiProblem) {
    super(ErrorEvent.type, { detail: { status: problem.status, code: problem.code, detail: problem.detail }, bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    "edgedesk-ticket-created": TicketCreatedEvent;
    "edgedesk-reply-sent": ReplySentEvent;
    "edgedesk-error": ErrorEvent;
  }
}
