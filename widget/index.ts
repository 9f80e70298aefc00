import { EdgedeskTickets } from "./elements/edgedesk-tickets";

export { EdgedeskTickets };
export { TicketCreatedEvent, ReplySentEvent, ErrorEvent } from "./events";

// Safe to load twice (two script tags, two bundles): define only once.
if (!customElements.get("edgedesk-tickets")) customElements.define("edgedesk-tickets", EdgedeskTickets);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-tickets": EdgedeskTickets;
  }
}
