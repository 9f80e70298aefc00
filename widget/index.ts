/** The widget's entry, /widget/edgedesk.js: defines <edgedesk-tickets> and the views of its first screen. */
export { EdgedeskTickets } from "./elements/edgedesk-tickets";
export { EdgedeskErrorEvent, EdgedeskReplySentEvent, EdgedeskTicketCreatedEvent } from "./events";
