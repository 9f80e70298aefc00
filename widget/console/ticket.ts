import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { fillPlaceholders } from "../../shared/placeholders";
import { act, problemText } from "../act";
import "../elements/ticket-thread";
import { theme } from "../elements/theme.styles";
import type { Session } from "../session";
import type { TicketDetail } from "../types";
import { styles } from "./console.styles";
import { PresenceController } from "./presence";
import type { ConsoleRoute } from "./route";
import type { ConsoleText } from "./text";
import { type ControlField, controls, facts, otherTickets, presenceNotice } from "./ticket-panels";
import type { Agent, CannedReply, QueuePage, QueueRow, StaffTicket } from "./types";

const REVEAL_SECONDS = 60;

/**
 * One ticket as staff work it: the customer's facts, the thread (<edgedesk-ticket-thread> in
 * staff mode), and beside it the controls (status, priority, department, assignee, each with a
 * reason), the sensitive value's Reveal, canned replies, escalation and the customer's other
 * tickets. Each action's failure is shown at the action, with focus moved to it.
 *
 * @internal Part of <edgedesk-console>; not for pages.
 *
 * @fires {CustomEvent<void>} edgedesk-back - The agent asked to go back to the queue. For the parent: does not bubble
 */
export class EdgedeskConsoleTicket extends LitElement {
  static override styles = [theme, styles];
  static override properties = {
    session: { attribute: false },
    text: { attribute: false },
    route: { attribute: false },
    ticketId: { attribute: false },
    ticket: { state: true },
    agents: { state: true },
    canned: { state: true },
    others: { state: true },
    errors: { state: true },
    busy: { state: true },
    revealed: { state: true },
    now: { state: true },
  };

  declare session: Session;
  declare text: ConsoleText;
  declare route: ConsoleRoute;
  declare ticketId: string;
  declare ticket: StaffTicket | undefined;
  declare agents: Agent[];
  declare canned: CannedReply[] | undefined;
  declare others: QueueRow[] | undefined;
  /** Each action's last failure, by action: a control's field, "reveal", "canned", "escalate". */
  declare errors: Partial<Record<string, string>>;
  declare busy: boolean;
  declare revealed: { value: string; until: number } | undefined;
  declare now: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Who else has this ticket open, or is typing (a WebSocket per ticket; docs/console.md, Presence). */
  readonly #presence = new PresenceController(
    this,
    {
      credentials: (refresh) => this.session.credentials(refresh),
      client: { url: (path) => this.session.client.url(path) },
    },
    () => this.ticketId,
  );

  constructor() {
    super();
    this.agents = [];
    this.errors = {};
    this.busy = false;
    this.now = Date.now();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#hide();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("ticketId") && this.ticketId !== this.ticket?.id) {
      this.ticket = undefined;
      this.others = undefined;
      this.errors = {};
      this.#hide();
      void this.#load(this.ticketId);
    }
  }

  /** Focus goes to the ticket's heading, in the thread, once it is there. */
  override focus(): void {
    this.renderRoot.querySelector("edgedesk-ticket-thread")?.focus();
  }

  get #thread(): HTMLElementTagNameMap["edgedesk-ticket-thread"] | null {
    return this.renderRoot.querySelector("edgedesk-ticket-thread");
  }

  /** r and n: a reply or an internal note, focus in the reply box. */
  compose(mode: "reply" | "note"): void {
    this.#thread?.compose(mode);
  }

  get #me(): { id: string; name: string } {
    const claims = this.session.person as { sub?: string; name?: string } | undefined;
    return { id: claims?.sub ?? "", name: claims?.name ?? "" };
  }

  async #load(id: string): Promise<void> {
    const path = `/tickets/${encodeURIComponent(id)}`;
    const detail = await this.session.call<{ ticket: StaffTicket }>("GET", path, undefined, {
      retry: () => void this.#load(id),
    });
    if (!detail.ok || id !== this.ticketId) return;
    this.ticket = detail.value.ticket;
    void this.updateComplete.then(() => this.focus());
    // The side panels: what is missing is shown as missing, never as a failure of the ticket.
    const [agents, canned] = await Promise.all([
      this.agents.length ? undefined : act<{ agents: Agent[] }>(this.session, this, "GET", "/agents"),
      this.canned ? undefined : act<{ cannedReplies: CannedReply[] }>(this.session, this, "GET", "/canned-replies"),
      this.#reloadOthers(),
    ]);
    if (agents?.ok) this.agents = agents.value.agents;
    // The history names agents and departments by id: the thread shows their names.
    for (const a of this.agents) this.text.names[a.id] = a.name;
    for (const d of this.session.config?.departments ?? []) this.text.names[d.id] = this.session.t.tenant(d.name);
    this.#thread?.requestUpdate();
    if (canned?.ok) this.canned = canned.value.cannedReplies;
    else if (canned) this.#fail("canned", problemText(this.session, canned.problem), false);
  }

  /** Shows `text` at the action `key` and, unless told not to, moves focus to it. */
  #fail(key: string, text: string, focus = true): void {
    this.errors = { ...this.errors, [key]: text };
    if (focus)
      void this.updateComplete.then(() => {
        const at = this.renderRoot.querySelector<HTMLElement>(`#c-${key}-error, #${key}-error`);
        at?.focus();
      });
  }

  #clear(key: string): void {
    if (!this.errors[key]) return;
    const { [key]: _, ...rest } = this.errors;
    this.errors = rest;
  }

  async #patch(field: ControlField, value: string | null, reason: string): Promise<void> {
    const ticket = this.ticket;
    if (!ticket) return;
    this.busy = true;
    const done = await act<{ ticket: TicketDetail }>(
      this.session,
      this,
      "PATCH",
      `/tickets/${encodeURIComponent(ticket.id)}`,
      { [field]: value, ...(reason && { reason }) },
    );
    this.busy = false;
    if (!done.ok) return this.#fail(field, problemText(this.session, done.problem));
    this.#clear(field);
    this.session.announce(this.text.msg("changed", { field: this.text.msg(field) }));
    await this.#reload();
  }

  async #reload(): Promise<void> {
    const detail = await act<{ ticket: StaffTicket }>(
      this.session,
      this,
      "GET",
      `/tickets/${encodeURIComponent(this.ticketId)}`,
    );
    if (detail.ok) this.ticket = detail.value.ticket;
  }

  /** a: assigns the ticket to the agent signed in. */
  assignToMe(): void {
    void this.#patch("assignee", this.#me.id, "");
  }

  #save(field: ControlField, form: HTMLFormElement): void {
    const value = (form.elements.namedItem("value") as HTMLSelectElement).value;
    const reason = (form.elements.namedItem("reason") as HTMLInputElement).value.trim();
    void this.#patch(field, field === "assignee" && !value ? null : value, reason).then(() => {
      if (!this.errors[field]) (form.elements.namedItem("reason") as HTMLInputElement).value = "";
    });
  }

  async #reveal(): Promise<void> {
    const ticket = this.ticket;
    if (!ticket) return;
    this.busy = true;
    const shown = await act<{ sensitive: string; expiresAt?: string }>(
      this.session,
      this,
      "POST",
      `/tickets/${encodeURIComponent(ticket.id)}/sensitive/reveal`,
      {},
    );
    this.busy = false;
    if (!shown.ok) return this.#fail("reveal", problemText(this.session, shown.problem));
    this.#clear("reveal");
    this.#hide();
    this.revealed = { value: shown.value.sensitive, until: Date.now() + REVEAL_SECONDS * 1000 };
    this.now = Date.now();
    this.#timer = setInterval(() => {
      this.now = Date.now();
      if (this.revealed && this.now >= this.revealed.until) this.#hide();
    }, 1000);
  }

  #hide(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.revealed = undefined;
  }

  #insertCanned(reply: CannedReply): void {
    const ticket = this.ticket;
    if (!ticket) return;
    const body = fillPlaceholders(reply.body, {
      "customer.name": ticket.requester.name,
      "ticket.number": String(ticket.number),
      "agent.name": this.#me.name,
      "tenant.name": this.session.config?.tenant.name ?? "",
    });
    this.#thread?.insertText(body);
    this.session.announce(this.text.msg("cannedInserted"));
  }

  async #escalate(form: HTMLFormElement, provider: string): Promise<void> {
    const ticket = this.ticket;
    if (!ticket) return;
    const note = (form.elements.namedItem("note") as HTMLTextAreaElement).value.trim();
    this.busy = true;
    const done = await act<{ escalation: { number: number } }>(
      this.session,
      this,
      "POST",
      `/tickets/${encodeURIComponent(ticket.id)}/escalate`,
      { note },
    );
    this.busy = false;
    if (!done.ok) return this.#fail("escalate", problemText(this.session, done.problem));
    this.#clear("escalate");
    this.session.announce(this.text.msg("escalated", { provider, number: done.value.escalation.number }));
    await this.#reload();
  }

  #sensitivePanel(ticket: StaffTicket): TemplateResult | typeof nothing {
    if (!ticket.hasSensitive) return nothing;
    const x = this.text;
    const r = this.revealed;
    return html`<section aria-labelledby="sensitive-title">
      <h3 id="sensitive-title">${x.msg("sensitive")}</h3>
      <p class="hint">${x.msg("sensitiveHint")}</p>
      ${
        r
          ? html`<p class="secret" id="secret">${r.value}</p>
            <p class="hint">${x.msg("revealedFor", { seconds: Math.max(0, Math.ceil((r.until - this.now) / 1000)) })}</p>
            <button part="button" @click=${() => this.#hide()}>${x.msg("hide")}</button>`
          : html`<button part="button" ?disabled=${this.busy} aria-describedby=${this.errors.reveal ? "reveal-error" : nothing} @click=${() => void this.#reveal()}>${x.msg("reveal")}</button>`
      }
      ${this.errors.reveal ? html`<p class="error" id="reveal-error" tabindex="-1">${this.errors.reveal}</p>` : nothing}
    </section>`;
  }

  #cannedPanel(): TemplateResult {
    const x = this.text;
    const list = this.canned;
    return html`<section aria-labelledby="canned-title">
      <h3 id="canned-title">${x.msg("canned")}</h3>
      ${
        list === undefined
          ? this.errors.canned
            ? nothing
            : html`<p class="hint">${this.session.t.msg("loading")}</p>`
          : list.length
            ? html`<ul class="plain" style="flex-direction: column">${list.map(
                (c) =>
                  html`<li><button part="button" aria-label=${`${x.msg("cannedInsert")}: ${c.title}`} @click=${() => this.#insertCanned(c)}>${c.title}</button></li>`,
              )}</ul>`
            : html`<p class="hint">${x.msg("cannedNone")}</p>`
      }
      ${this.errors.canned ? html`<p class="error" id="canned-error" tabindex="-1">${this.errors.canned}</p>` : nothing}
    </section>`;
  }

  /** The link to the other side of an escalation, at the top of the ticket. */
  #escalationLink(ticket: StaffTicket): TemplateResult | typeof nothing {
    const x = this.text;
    const t = this.session.t;
    const link = ticket.escalation;
    if (!link) return nothing;
    return html`<p class="notice" role="note">${x.msg(
      link.direction === "to_provider" ? "escalationTo" : "escalationFrom",
      {
        tenant: link.tenantName,
        number: link.number,
        status: t.msg(`status_${link.status}`),
      },
    )}</p>`;
  }

  /** "Escalate to <provider>" with a note, for a reseller's ticket not escalated yet. */
  #escalationPanel(ticket: StaffTicket): TemplateResult | typeof nothing {
    const x = this.text;
    const provider = ticket.escalateTo;
    if (!provider || ticket.escalation) return nothing;
    return html`<section aria-labelledby="escalate-title">
      <details>
        <summary id="escalate-title">${x.msg("escalateTo", { provider: provider.name })}</summary>
        <form novalidate @submit=${(e: Event) => {
          e.preventDefault();
          void this.#escalate(e.target as HTMLFormElement, provider.name);
        }}>
          <label for="escalate-note">${x.msg("escalateNote", { provider: provider.name })}</label>
          <textarea part="input" class="short" id="escalate-note" name="note" maxlength="20000"
            aria-describedby=${this.errors.escalate ? "escalate-error" : nothing}></textarea>
          <p><button part="button primary" class="primary" type="submit" ?disabled=${this.busy}>${x.msg("escalateSend")}</button></p>
          ${this.errors.escalate ? html`<p class="error" id="escalate-error" tabindex="-1">${this.errors.escalate}</p>` : nothing}
        </form>
      </details>
    </section>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const ticket = this.ticket;
    if (!ticket) return html`<p>${this.session.t.msg("loading")}</p>`;
    const t = this.session.t;
    const x = this.text;
    const config = this.session.config;
    return html`<div class="ticket">
      <div>
        ${presenceNotice(x, this.#presence.others, this.#presence.changedVersion, ticket, () => void this.#reload())}
        ${this.#escalationLink(ticket)}
        ${facts(t, x, ticket, config)}
        <edgedesk-ticket-thread .session=${this.session} .staff=${x} .ticket=${ticket}
          @edgedesk-back=${() => this.dispatchEvent(new CustomEvent("edgedesk-back"))}
          @edgedesk-ticket-loaded=${(e: CustomEvent<{ ticket: StaffTicket }>) => {
            this.ticket = e.detail.ticket;
            void this.#reloadOthers();
          }}
          @edgedesk-typing=${() => this.#presence.typing()}></edgedesk-ticket-thread>
      </div>
      <aside aria-label=${x.msg("controls")}>
        ${controls(
          { t, x, busy: this.busy, errors: this.errors, save: (f, form) => this.#save(f, form) },
          ticket,
          config,
          this.agents,
          () => this.assignToMe(),
        )}
        ${this.#sensitivePanel(ticket)}
        ${this.#cannedPanel()}
        ${this.#escalationPanel(ticket)}
        ${otherTickets(t, x, this.route, ticket.id, this.others)}
      </aside>
    </div>`;
  }

  async #reloadOthers(): Promise<void> {
    const ticket = this.ticket;
    if (!ticket) return;
    const requester = encodeURIComponent(ticket.requester.id);
    const others = await act<QueuePage>(this.session, this, "GET", `/queue?view=all&requester=${requester}&limit=10`);
    this.others = others.ok ? others.value.tickets : (this.others ?? []);
  }
}

if (!customElements.get("edgedesk-console-ticket"))
  customElements.define("edgedesk-console-ticket", EdgedeskConsoleTicket);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-console-ticket": EdgedeskConsoleTicket;
  }
}
