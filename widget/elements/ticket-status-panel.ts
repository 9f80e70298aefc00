import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { fill, type Locale } from "../i18n";
import { enStatus, type StatusCatalogue, type StatusKey } from "../locales/en-status";
import type { Session } from "../session";
import type { FieldDefinition, TicketDetail } from "../types";
import { theme } from "./theme.styles";

const styles = css`
  :host { margin-bottom: 12px; }
  .reason { font-weight: 600; }
  .told { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 8px 12px; margin-bottom: 12px; }
  dl { display: grid; grid-template-columns: minmax(8em, max-content) 1fr; gap: 4px 12px; margin: 0; }
  dt { color: var(--_muted); }
  dd { margin: 0; overflow-wrap: anywhere; }
  .solved { margin-bottom: 12px; }
`;

/**
 * The customer's thread, under its title: why the ticket is in its status (on hold and why,
 * when an answered ticket closes by itself, how a closed one was closed and how to re-open it),
 * "Solved? Close the ticket / Still broken" after a staff answer, and what the customer told us
 * (department and its fields, service, priority and its meaning; a secret only as "provided").
 * The reasons come worked out from the API (`statusReason`, `closesAt`). Loaded with the thread.
 *
 * @internal Part of <edgedesk-ticket-thread>; not for pages.
 *
 * @prop {Session} session - The thread's session
 * @prop {TicketDetail} ticket - The ticket shown
 *
 * @fires {CustomEvent<void>} edgedesk-still-broken - "Still broken": the thread opens its reply box. Does not bubble
 * @fires {CustomEvent<void>} edgedesk-ticket-changed - The customer closed the ticket as resolved: the thread reloads it. Does not bubble
 *
 * @csspart button - Every button
 * @csspart primary - "Close the ticket"
 */
export class EdgedeskTicketStatusPanel extends LitElement {
  static override styles = [theme, styles];
  static override properties = {
    session: { attribute: false },
    ticket: { attribute: false },
    text: { state: true },
    busy: { state: true },
  };

  declare session: Session;
  declare ticket: TicketDetail;
  declare text: StatusCatalogue | undefined;
  declare busy: boolean;
  /** After closing as resolved: focus goes to the sentence that says so, once it is shown. */
  #focusReason = false;

  constructor() {
    super();
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute("exportparts")) this.setAttribute("exportparts", "button, primary");
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("session")) void statusCatalogue(this.session.t.locale).then((text) => (this.text = text));
  }

  protected override updated(): void {
    const reason = this.#focusReason && this.ticket.status === "closed" && this.renderRoot.querySelector("#reason");
    if (reason) {
      this.#focusReason = false;
      (reason as HTMLElement).focus();
    }
  }

  #msg(key: StatusKey, params: Record<string, string | number> = {}): string {
    return fill((this.text ?? enStatus)[key], params);
  }

  async #closeResolved(): Promise<void> {
    this.busy = true;
    const done = await this.session.call("PATCH", `/tickets/${encodeURIComponent(this.ticket.id)}`, {
      status: "closed",
      reasonCode: "resolved_by_customer",
    });
    this.busy = false;
    if (!done.ok) return;
    this.#focusReason = true;
    this.session.announce(this.#msg("resolvedSaid"));
    this.dispatchEvent(new CustomEvent("edgedesk-ticket-changed"));
  }

  /** The sentence beside the status, or "" when the status needs none. */
  #reason(ticket: TicketDetail): string {
    const date = (iso: string) => this.session.t.dateTime(iso);
    const r = ticket.statusReason;
    if (ticket.status === "answered" && ticket.closesAt) return this.#msg("closesAt", { date: date(ticket.closesAt) });
    if (!r) return "";
    const at = { date: date(r.at), reason: r.note ?? "" };
    switch (r.kind) {
      case "on_hold":
        return r.note ? this.#msg("onHold", at) : this.#msg("onHoldGeneric");
      case "escalated":
        return this.#msg("escalated");
      case "closed_by_customer":
        return this.#msg("closedByYou", at);
      case "resolved_by_customer":
        return this.#msg("resolvedByYou", at);
      case "closed_by_staff":
        return this.#msg(r.note ? "closedByStaffWhy" : "closedByStaff", at);
      case "closed_automatically":
        return this.#msg("closedAutomatically", at);
    }
  }

  /** A department field's answer as the customer gave it. */
  #answer(def: FieldDefinition, value: string | boolean): string {
    const t = this.session.t;
    if (typeof value === "boolean") return t.msg(value ? "yes" : "no");
    if (def.kind === "select") return t.tenant(def.options.find((o) => o.value === value)?.label ?? value);
    return value;
  }

  #toldUs(ticket: TicketDetail): TemplateResult {
    const t = this.session.t;
    const department = this.session.config?.departments.find((d) => d.id === ticket.department);
    const row = (term: string, value: string) => html`<dt>${term}</dt><dd>${value}</dd>`;
    return html`<section class="told" aria-labelledby="told">
      <h3 id="told">${this.#msg("toldUs")}</h3>
      <dl>
        ${row(t.msg("department"), department ? t.tenant(department.name) : ticket.department)}
        ${(department?.fields ?? []).map((f) => {
          const value = ticket.fields[f.id];
          return value === undefined ? nothing : row(t.tenant(f.label), this.#answer(f, value));
        })}
        ${ticket.service ? row(t.msg("service"), ticket.service.label) : nothing}
        ${row(t.msg("priority"), `${t.msg(`priority_${ticket.priority}`)}: ${t.msg(`priorityMeaning_${ticket.priority}`)}`)}
        ${ticket.hasSensitive ? row(this.#msg("sensitiveLabel"), this.#msg("sensitiveProvided")) : nothing}
      </dl>
    </section>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const ticket = this.ticket;
    if (!ticket || !this.text) return nothing;
    const reason = this.#reason(ticket);
    const last = ticket.messages.at(-1);
    const solved = ticket.status === "answered" && last?.author.kind === "agent";
    return html`${reason ? html`<p class="reason" id="reason" tabindex="-1">${reason}</p>` : nothing}
      ${ticket.status === "closed" ? html`<p class="hint">${this.#msg("howToReopen")}</p>` : nothing}
      ${
        solved
          ? html`<div class="row solved" role="group" aria-labelledby="solved">
            <strong id="solved">${this.#msg("solved")}</strong>
            <button part="button primary" class="primary" ?disabled=${this.busy} @click=${() => void this.#closeResolved()}>${this.#msg("solvedClose")}</button>
            <button part="button" @click=${() => this.dispatchEvent(new CustomEvent("edgedesk-still-broken"))}>${this.#msg("stillBroken")}</button>
          </div>`
          : nothing
      }
      ${this.#toldUs(ticket)}`;
  }
}

async function statusCatalogue(locale: Locale): Promise<StatusCatalogue> {
  return locale === "ru" ? (await import("../locales/ru-status")).ruStatus : enStatus;
}

if (!customElements.get("edgedesk-ticket-status-panel"))
  customElements.define("edgedesk-ticket-status-panel", EdgedeskTicketStatusPanel);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-ticket-status-panel": EdgedeskTicketStatusPanel;
  }
}
