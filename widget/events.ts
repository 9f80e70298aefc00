import type { ApiProblem } from "./api";
import type { TicketView } from "./types";

/*
 * The events a page can listen for. They bubble and are composed, so they leave the shadow root
 * and reach `document`; each is typed on GlobalEventHandlersEventMap below, so that
 * `el.addEventListener("edgedesk-ticket-created", (e) => e.detail.ticket)` knows its detail.
 */

/** `edgedesk-ticket-created`: a ticket was filed; `detail.ticket` is the ticket as the API returned it. */
export class EdgedeskTicketCreatedEvent extends CustomEvent<{ ticket: TicketView }> {
  static readonly type = "edgedesk-ticket-created";
  constructor(ticket: TicketView) {
    super(EdgedeskTicketCreatedEvent.type, { detail: { ticket }, bubbles: true, composed: true });
  }
}

/** `edgedesk-reply-sent`: a reply was sent on a ticket. */
export class EdgedeskReplySentEvent extends CustomEvent<{ ticketId: string; messageId: string }> {
  static readonly type = "edgedesk-reply-sent";
  constructor(ticketId: string, messageId: string) {
    super(EdgedeskReplySentEvent.type, { detail: { ticketId, messageId }, bubbles: true, composed: true });
  }
}

/** `edgedesk-error`: a request failed; `detail` carries the problem the person was shown. */
export class EdgedeskErrorEvent extends CustomEvent<{ status: number; code: string; detail: string }> {
  static readonly type = "edgedesk-error";
  constructor(problem: ApiProblem) {
    super(EdgedeskErrorEvent.type, {
      detail: { status: problem.status, code: problem.code, detail: problem.detail },
      bubbles: true,
      composed: true,
    });
  }
}

/**
 * What a view asks of the element that shows it (the list: open a ticket, start a new one; the
 * thread: go back). Plain CustomEvents that neither bubble nor leave the shadow root: they are
 * for the parent, which listens on the view itself, never for the page.
 */
export type OpenTicketEvent = CustomEvent<{ ticketId: string }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "edgedesk-ticket-created": EdgedeskTicketCreatedEvent;
    "edgedesk-reply-sent": EdgedeskReplySentEvent;
    "edgedesk-error": EdgedeskErrorEvent;
    "edgedesk-open-ticket": OpenTicketEvent;
    "edgedesk-new-ticket": CustomEvent<void>;
    "edgedesk-back": CustomEvent<void>;
  }
}
