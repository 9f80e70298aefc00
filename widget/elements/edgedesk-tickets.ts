import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { pickLocale } from "../i18n";
import { Session } from "../session";
import type { PublicConfig, TicketDetail, TicketView } from "../types";
import { styles } from "./edgedesk-tickets.styles";
import { noticeAt } from "./notice";
import { followScheme, theme } from "./theme.styles";
import type { EdgedeskTicketForm } from "./ticket-form";
import "./ticket-list";
import { styles as listStyles } from "./ticket-list.styles";
import { expectation } from "./ticket-status";

type View = "list" | "new" | "created" | "thread";

/**
 * The end user's support widget: file tickets, follow them, reply, vote on answers. A frame (the
 * tenant's brand, navigation, support hours, a notice for failures no view shows, a live region) around one
 * view at a time: <edgedesk-ticket-list>, <edgedesk-ticket-form> (loaded on demand: a signed-in
 * customer's first view is their list), a confirmation, or <edgedesk-ticket-thread> (on demand too). They share the element's session. The list and
 * the form render in this shadow root, with its stylesheet and parts; the thread, which other
 * elements embed too, has a shadow root of its own and forwards its parts.
 *
 * @attr api - Base URL of the Edgedesk Worker, e.g. https://desk.example.com
 * @attr tenant - The tenant id (provider or reseller)
 * @attr token - A host-signed embed token (or set `tokenProvider`)
 * @attr access-key - A guest's ticket key (also read from `#edgedesk-key=` in the page URL)
 * @attr lang - Language (en, ru); defaults to the page's
 * @attr {"light" | "dark" | "auto"} theme - Colours: `auto` (the default) follows the host page's `color-scheme`, and the
 *   OS's preference when the page sets none
 * @prop {(() => Promise<string>) | undefined} tokenProvider - Asked for a fresh token at start and whenever the current one is refused
 *
 * @fires {EdgedeskTicketCreatedEvent} edgedesk-ticket-created - A ticket was filed; `detail.ticket`
 * @fires {EdgedeskReplySentEvent} edgedesk-reply-sent - A reply was sent; `detail.ticketId`, `detail.messageId`
 * @fires {EdgedeskErrorEvent} edgedesk-error - A request failed; `detail.status`, `detail.code`, `detail.detail`
 *
 * @csspart header - The top bar with brand and navigation
 * @csspart button - Every button
 * @csspart primary - The main action buttons
 * @csspart input - Text inputs, selects and text areas
 * @csspart ticket - A row of the ticket list
 * @csspart badge - A status badge
 * @csspart message - A message of a thread
 * @csspart attachments - The attachment picker: rules, drop zone, files
 * @csspart dropzone - The picker's drop zone, also the button that opens the file chooser
 * @csspart attachment - A file being attached, or a message's file in the thread
 * @csspart thumbnail - An image attachment's thumbnail in the thread
 *
 * @cssproperty --edgedesk-accent - Accent (buttons, focus); defaults to the tenant's brand colour
 * @cssproperty --edgedesk-on-accent - Text on the accent colour; defaults to white or black, whichever reads at 4.5:1 on the accent
 * @cssproperty --edgedesk-background - Background
 * @cssproperty --edgedesk-surface - Background of cards and guidance
 * @cssproperty --edgedesk-foreground - Text colour
 * @cssproperty --edgedesk-muted - Secondary text
 * @cssproperty --edgedesk-border - Borders of cards and buttons
 * @cssproperty --edgedesk-input-border - Borders of inputs; defaults to a mix of text and background (3:1 or more)
 * @cssproperty --edgedesk-danger - Errors
 * @cssproperty --edgedesk-radius - Corner radius
 * @cssproperty --edgedesk-font - Font family
 * @cssproperty --edgedesk-focus - Focus ring
 */
export class EdgedeskTickets extends LitElement {
  static override styles = [theme, styles, listStyles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    api: {},
    tenant: {},
    token: {},
    guestKey: { attribute: "access-key" },
    lang: {},
    theme: { reflect: true },
    tokenProvider: { attribute: false },
    view: { state: true },
    ticket: { state: true },
    created: { state: true },
  };

  declare api: string;
  declare tenant: string;
  declare token: string | undefined;
  declare guestKey: string | undefined;
  declare lang: string;
  declare theme: "light" | "dark" | "auto" | undefined;
  declare tokenProvider: (() => Promise<string>) | undefined;

  declare view: View;
  /** The ticket the thread view opens with. */
  declare ticket: TicketDetail | undefined;
  /** The ticket just filed, and the key that opens it for a guest. */
  declare created: { ticket: TicketView; accessKey?: string | undefined } | undefined;

  readonly #session = new Session(this);
  readonly #internals = this.attachInternals();
  // The list and the form live as long as the element, not as long as their view is shown: the
  // filter, and the form's values and errors, outlast a look at another view.
  readonly #list = this.#keptView("edgedesk-ticket-list");
  readonly #form = this.#keptView("edgedesk-ticket-form");

  constructor() {
    super();
    this.api = "";
    this.tenant = "";
    this.lang = "";
    this.view = "list";
    this.#list.addEventListener("edgedesk-open-ticket", (e) => void this.#openTicket(e.detail.ticketId));
    this.#list.addEventListener("edgedesk-new-ticket", () => this.#show("new"));
    this.#form.addEventListener("edgedesk-ticket-created", (e) => {
      const session = this.#session;
      this.created = { ticket: e.detail.ticket, accessKey: session.guest ? session.guestKey : undefined };
      this.#show("created");
    });
  }

  #keptView<K extends "edgedesk-ticket-list" | "edgedesk-ticket-form">(tag: K): HTMLElementTagNameMap[K] {
    return Object.assign(document.createElement(tag), { session: this.#session });
  }

  // ---- public API -------------------------------------------------------------------------

  /** Shows the person's tickets. */
  open(): void {
    this.#show("list");
  }

  /** Opens the new-ticket form prefilled from the panel's context (e.g. the site being viewed). */
  async newTicket(prefill: { department?: string; subject?: string; serviceId?: string } = {}): Promise<void> {
    (await this.#formReady()).prefill(prefill);
    this.#show("new");
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    const fromHash = /[#&]edgedesk-key=([\w-]+)/.exec(location.hash)?.[1];
    if (fromHash && !this.guestKey) this.guestKey = fromHash;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const session = this.#session;
    session.api = this.api;
    session.tenant = this.tenant;
    session.token = this.token;
    session.tokenProvider = this.tokenProvider;
    if (changed.has("guestKey")) session.guestKey = this.guestKey;
    const accent = session.config?.branding.accentColor;
    if (accent) this.style.setProperty("--_brand-accent", accent);
  }

  protected override async firstUpdated(): Promise<void> {
    const session = this.#session;
    // A guest's first view is the form: its module loads beside the config, not after it.
    if (session.guest && !session.guestKey) void this.#formReady();
    const locale = pickLocale(
      this.lang || this.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || navigator.language,
    );
    // Without its config the widget shows the failure and a Retry that starts again from here.
    const begin = async (): Promise<void> => {
      await session.start(locale, () => void begin());
      if (!session.config) return;
      if (session.guest && !session.guestKey) this.#show("new");
      else if (session.guest) await this.#openGuestTicket();
      else if (this.view === "list") await this.#list.load();
    };
    await begin();
  }

  protected override updated(): void {
    followScheme(this, this.#internals.states);
  }

  // ---- views --------------------------------------------------------------------------------

  async #openTicket(id: string): Promise<void> {
    const [detail] = await Promise.all([
      this.#session.call<{ ticket: TicketDetail }>("GET", `/tickets/${encodeURIComponent(id)}`, undefined, {
        retry: () => void this.#openTicket(id),
      }),
      import("./ticket-thread"),
    ]);
    if (!detail.ok) return;
    this.ticket = detail.value.ticket;
    this.#show("thread");
  }

  async #openGuestTicket(): Promise<void> {
    const list = await this.#session.call<{ tickets: TicketView[] }>("GET", "/tickets?limit=1");
    const first = list.ok && list.value.tickets[0];
    if (first) await this.#openTicket(first.id);
  }

  /**
   * The form, once its module is here (on demand: a signed-in customer's first view is the list).
   * Its element was made before the module came, and is not in the page while another view
   * shows, so it is upgraded by hand; it keeps the session it was given.
   */
  async #formReady(): Promise<EdgedeskTicketForm> {
    await import("./ticket-form");
    customElements.upgrade(this.#form);
    return this.#form;
  }

  #show(view: View): void {
    this.view = view;
    this.#session.notice = undefined;
    if (view === "list") void this.#list.load();
    const shown = view === "new" ? this.#formReady().then((form) => form.updateComplete) : undefined;
    // The heading of the view, or the thread, which moves focus to its own once it is there.
    void Promise.all([shown, this.updateComplete]).then(() =>
      this.renderRoot.querySelector<HTMLElement>("h2, edgedesk-ticket-thread")?.focus(),
    );
  }

  // ---- rendering ----------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const { config: c, t, notice } = this.#session;
    return html`<div class="wrap">
      <header part="header">
        <div class="brand">
          ${c?.branding.logoUrl ? html`<img src=${c.branding.logoUrl} alt="">` : nothing}
          <span>${c?.branding.productName ?? ""}</span>
        </div>
        ${
          this.#session.guest
            ? nothing
            : html`<nav aria-label=${c?.branding.productName ?? "Support"}>
              <button part="button" aria-current=${this.view === "list" || this.view === "thread" ? "page" : "false"} @click=${() => this.#show("list")}>${t.msg("myTickets")}</button>
              <button part="button primary" class="primary" aria-current=${this.view === "new" ? "page" : "false"} @click=${() => this.#show("new")}>${t.msg("newTicket")}</button>
            </nav>`
        }
      </header>
      ${c ? html`<p class="hours">${this.#hoursLine(c)}</p>` : nothing}
      ${noticeAt(this.#session)}
      ${c ? this.#renderView() : notice ? nothing : html`<p>${t.msg("loading")}</p>`}
      <div class="sr-only" role="status" aria-live="polite">${this.#session.announcement}</div>
    </div>`;
  }

  #hoursLine(c: PublicConfig): string {
    const t = this.#session.t;
    if (c.supportHours.openNow) return t.msg("supportOpen");
    return c.supportHours.nextOpening
      ? t.msg("supportClosedUntil", { when: t.dateTime(c.supportHours.nextOpening, "long") })
      : t.msg("supportClosed");
  }

  #renderView(): TemplateResult | HTMLElement | typeof nothing {
    switch (this.view) {
      case "new":
        return this.#form;
      case "created":
        return this.#renderCreated();
      case "thread":
        // The ticket as the thread last loaded it: a later render must not hand it the one it opened with.
        return html`<edgedesk-ticket-thread .session=${this.#session} .ticket=${this.ticket} @edgedesk-back=${() => this.#show("list")}
          @edgedesk-ticket-loaded=${(e: CustomEvent<{ ticket: TicketDetail }>) => (this.ticket = e.detail.ticket)}></edgedesk-ticket-thread>`;
      default:
        return this.#list;
    }
  }

  #renderCreated(): TemplateResult | typeof nothing {
    const created = this.created;
    if (!created) return nothing;
    const t = this.#session.t;
    const link = created.accessKey ? `${location.href.split("#")[0]}#edgedesk-key=${created.accessKey}` : "";
    return html`<section aria-labelledby="created-title">
      <h2 id="created-title" tabindex="-1">${t.msg("created", { number: created.ticket.number })}</h2>
      <p>${t.msg("createdIntro")}</p>
      <p class="notice">${expectation(t, created.ticket)}</p>
      ${
        link
          ? html`<div class="notice"><h3>${t.msg("guestLinkTitle")}</h3><p class="link">${link}</p><p class="hint">${t.msg("guestLinkHint")}</p>
            <button part="button" @click=${() => void navigator.clipboard?.writeText(link).then(() => this.#session.announce(t.msg("copied")))}>${t.msg("copy")}</button></div>`
          : nothing
      }
      <button part="button primary" class="primary" @click=${() => void this.#openTicket(created.ticket.id)}>${t.msg("viewTicket")}</button>
    </section>`;
  }
}

if (!customElements.get("edgedesk-tickets")) customElements.define("edgedesk-tickets", EdgedeskTickets);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-tickets": EdgedeskTickets;
  }
}
