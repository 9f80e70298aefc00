import { html, LitElement, nothing, type TemplateResult } from "lit";
import type { Session } from "../session";
import type { Status, TicketView } from "../types";
import { statusBadge } from "./ticket-status";

const STATUSES: Status[] = ["open", "in_progress", "answered", "on_hold", "closed"];

/**
 * The person's tickets, latest activity first, a page at a time, filtered by status: "My tickets"
 * of <edgedesk-tickets>. It renders in that element's shadow root, not one of its own, so it
 * shares its stylesheet (ticket-list.styles.ts is part of it) and its parts (`ticket`, `badge`,
 * `button`, `primary`, `input`). It loads when `load()` is called.
 *
 * @internal Part of <edgedesk-tickets>; not for pages.
 *
 * @prop {Session} session - The session of the element it is in: client, strings, config
 *
 * @fires {OpenTicketEvent} edgedesk-open-ticket - A ticket was chosen; `detail.ticketId`. For the parent: does not bubble
 * @fires {CustomEvent<void>} edgedesk-new-ticket - The person asked for the new-ticket form. For the parent: does not bubble
 */
export class EdgedeskTicketList extends LitElement {
  static override properties = {
    session: { attribute: false },
    tickets: { state: true },
    nextCursor: { state: true },
    filter: { state: true },
    busy: { state: true },
  };

  declare session: Session;
  declare tickets: TicketView[] | undefined;
  declare nextCursor: string | null;
  declare filter: string;
  declare busy: boolean;

  constructor() {
    super();
    this.nextCursor = null;
    this.filter = "";
    this.busy = false;
  }

  /** Loads the first page again, or with `more` the next one. */
  async load(more = false): Promise<void> {
    const params = new URLSearchParams({ limit: "20" });
    if (this.filter) params.set("status", this.filter);
    if (more && this.nextCursor) params.set("cursor", this.nextCursor);
    this.busy = true;
    const page = await this.session.call<{ tickets: TicketView[]; nextCursor: string | null }>(
      "GET",
      `/tickets?${params}`,
      undefined,
      {
        retry: () => void this.load(more),
      },
    );
    this.busy = false;
    if (!page.ok) return;
    this.tickets = more ? [...(this.tickets ?? []), ...page.value.tickets] : page.value.tickets;
    this.nextCursor = page.value.nextCursor;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render(): TemplateResult {
    const t = this.session.t;
    return html`<section aria-labelledby="list-title">
      <div class="row" style="justify-content: space-between">
        <h2 id="list-title" tabindex="-1">${t.msg("myTickets")}</h2>
        <label class="row" style="font-weight: 400">${t.msg("filterLabel")}
          <select part="input" style="width: auto" .value=${this.filter} @change=${(e: Event) => {
            this.filter = (e.target as HTMLSelectElement).value;
            void this.load();
          }}>
            <option value="">${t.msg("filterAll")}</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.filter === s}>${t.msg(`status_${s}`)}</option>`)}
          </select>
        </label>
      </div>
      ${
        this.tickets === undefined
          ? // A failed load is the frame's notice, with Retry, just above.
            this.session.notice
            ? nothing
            : html`<p>${t.msg("loading")}</p>`
          : this.tickets.length === 0
            ? html`<div class="notice"><p>${this.filter ? t.msg("noTicketsFiltered") : t.msg("noTickets")}</p>
              <button part="button primary" class="primary" @click=${() => this.dispatchEvent(new CustomEvent("edgedesk-new-ticket"))}>${t.msg("newTicket")}</button></div>`
            : html`<ul class="list">
              ${this.tickets.map(
                (k) => html`<li>
                  <button part="button ticket" class="ticket" @click=${() => this.dispatchEvent(new CustomEvent("edgedesk-open-ticket", { detail: { ticketId: k.id } }))}>
                    <span class="subject">#${k.number} · ${k.subject}</span>
                    ${statusBadge(t, k.status)}
                    <span class="meta">${t.msg(`priority_${k.priority}`)} · ${t.msg("lastActivity", { when: t.dateTime(k.lastActivityAt) })}</span>
                  </button>
                </li>`,
              )}
            </ul>`
      }
      ${
        this.nextCursor
          ? html`<p><button part="button" ?disabled=${this.busy} @click=${() => void this.load(true)}>${t.msg("loadMore")}</button></p>`
          : nothing
      }
    </section>`;
  }
}

if (!customElements.get("edgedesk-ticket-list")) customElements.define("edgedesk-ticket-list", EdgedeskTicketList);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-ticket-list": EdgedeskTicketList;
  }
}
