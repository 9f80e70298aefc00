import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { hashParams, hashWith } from "../hash";
import { pickLocale } from "../i18n";
import { SESSION_INPUTS, Session } from "../session";
import type { PublicConfig, TicketDetail, TicketView } from "../types";
import { styles } from "./edgedesk-tickets.styles";
import { noticeAt } from "./notice";
import { statusNotice, statusStyles } from "./status-notice";
import { followScheme, theme } from "./theme.styles";
import type { EdgedeskTicketForm } from "./ticket-form";
import "./ticket-list";
import { styles as listStyles } from "./ticket-list.styles";
import { expectation } from "./ticket-status";

type View = "list" | "new" | "created" | "thread";

/** What the session starts from (a guest's key too): a change to any of them, at any time, starts it again. */
const INPUTS = [...SESSION_INPUTS, "guestKey"] as const;
/** The guest's private link's parameter (the server writes it into the mailed link). */
const KEY_PARAM = "edgedesk-key";

/**
 * The end user's support widget: file tickets, follow them, reply, vote on answers. A frame (the
 * tenant's brand, navigation, support hours, a notice for failures no view shows, a live region) around one
 * view at a time: <edgedesk-ticket-list>, <edgedesk-ticket-form> (loaded on demand: a signed-in
 * customer's first view is their list), a confirmation, or <edgedesk-ticket-thread> (on demand too). They share the element's session. The list and
 * the form render in this shadow root, with its stylesheet and parts; the thread, which other
 * elements embed too, has a shadow root of its own and forwards its parts.
 *
 * Every property may be set before the script has loaded (it is kept), and `api`, `tenant`,
 * `token`, `access-key`, `lang` and `tokenProvider` may change at any time: the widget starts again
 * for the new values (config, drafts, tickets). Where it is (list, form, a ticket) is kept in the
 * URL hash under `route-prefix`.
 *
 * @attr api - Base URL of the Edgedesk Worker, e.g. https://desk.example.com
 * @attr tenant - The tenant id (provider or reseller)
 * @attr token - A host-signed embed token (or set `tokenProvider`)
 * @attr access-key - A guest's ticket key (also read from `#edgedesk-key=` in the page URL)
 * @attr lang - Language (en, ru); defaults to the page's
 * @attr route-prefix - The name of the widget's place in the URL hash (`#edgedesk=ticket/<id>`, `#edgedesk=new`); default `edgedesk`. Two widgets on one page need two names
 * @attr {"light" | "dark" | "auto"} theme - Colours: `auto` (the default) follows the host page's `color-scheme`, and the
 *   OS's preference when the page sets none
 * @prop {(() => Promise<string>) | undefined} tokenProvider - Asked for a fresh token at start and whenever the current one is refused; setting it starts the session again
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
 * @csspart status-notice - The tenant's maintenance or incident notice, above the views and on the form
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
  static override styles = [theme, styles, listStyles, statusStyles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    api: {},
    tenant: {},
    token: {},
    guestKey: { attribute: "access-key" },
    lang: {},
    routePrefix: { attribute: "route-prefix" },
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
  declare routePrefix: string;
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
  /** The place in the URL the view shown was opened for; undefined until the session has started. */
  #shown: string | undefined;

  constructor() {
    super();
    this.api = "";
    this.tenant = "";
    this.lang = "";
    this.routePrefix = "edgedesk";
    this.view = "list";
    this.#list.addEventListener("edgedesk-open-ticket", (e) => this.#go(`ticket/${e.detail.ticketId}`));
    this.#list.addEventListener("edgedesk-new-ticket", () => this.#go("new"));
    this.#form.addEventListener("edgedesk-ticket-created", (e) => {
      const session = this.#session;
      const { ticket } = e.detail;
      const accessKey = session.guest ? session.guestKey : undefined;
      this.created = { ticket, accessKey };
      // A reload, or Back from the ticket, lands on the ticket (a guest's, by its key), not an empty form.
      this.#shown = `ticket/${ticket.id}`;
      history.replaceState(
        history.state,
        "",
        hashWith({ [this.routePrefix]: this.#shown, [KEY_PARAM]: accessKey ?? "" }),
      );
      this.#show("created");
    });
  }

  #keptView<K extends "edgedesk-ticket-list" | "edgedesk-ticket-form">(tag: K): HTMLElementTagNameMap[K] {
    return Object.assign(document.createElement(tag), { session: this.#session });
  }

  // ---- public API -------------------------------------------------------------------------

  /** Shows the person's tickets. */
  open(): void {
    this.#go("");
  }

  /** Opens the new-ticket form prefilled from the panel's context (e.g. the site being viewed). */
  async newTicket(prefill: { department?: string; subject?: string; serviceId?: string } = {}): Promise<void> {
    (await this.#formReady()).prefill(prefill);
    this.#go("new");
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    this.guestKey ||= hashParams().get(KEY_PARAM) ?? undefined;
    addEventListener("hashchange", this.#onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener("hashchange", this.#onHash);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const session = this.#session;
    session.api = this.api;
    session.tenant = this.tenant;
    session.token = this.token;
    session.tokenProvider = this.tokenProvider;
    if (changed.has("guestKey")) session.guestKey = this.guestKey;
    // One way in, whatever the order a page sets things in: start (again) for these inputs.
    if (this.tenant && INPUTS.some((input) => changed.has(input))) this.#start();
    // Started (or its config retried): the view the URL names.
    else if (session.config && this.#shown === undefined) void this.#apply(false);
    const accent = session.config?.branding.accentColor;
    if (accent) this.style.setProperty("--_brand-accent", accent);
  }

  /** Starts the session for the element's inputs; what was shown for the ones before goes. */
  #start(): void {
    const session = this.#session;
    this.#shown = undefined;
    this.ticket = undefined;
    this.created = undefined;
    this.#list.tickets = undefined;
    // A guest's first view is the form: its module loads beside the config, not after it.
    if (session.guest && !session.guestKey) void this.#formReady();
    void session.start(
      pickLocale(
        this.lang ||
          this.closest("[lang]")?.getAttribute("lang") ||
          document.documentElement.lang ||
          navigator.language,
      ),
    );
  }

  protected override updated(): void {
    followScheme(this, this.#internals.states);
  }

  // ---- the place in the URL -----------------------------------------------------------------

  /** The widget's place in the URL: `ticket/<id>`, `new`, or "" for the list. */
  get #route(): string {
    return hashParams().get(this.routePrefix) ?? "";
  }

  /** Goes to `route`: a new entry in the history (Back comes here again), or the same place again. */
  #go(route: string): void {
    const hash = hashWith({ [this.routePrefix]: route });
    if (hash === (location.hash || "#")) void this.#apply(true);
    else location.hash = hash;
  }

  #onHash = (): void => {
    // Another widget's move, or another part of the page's, is not this one's.
    if (this.#session.config && this.#route !== this.#shown) void this.#apply(true);
  };

  /**
   * Shows the view the URL names; with `focus` (the person moved, not the page loading), focus
   * goes to it. A guest has one ticket, opened by its key, or the form.
   */
  async #apply(focus: boolean): Promise<void> {
    const session = this.#session;
    const route = this.#route;
    this.#shown = route;
    const id = /^ticket\/([\w-]{1,64})$/.exec(route)?.[1];
    if (session.guest) await (session.guestKey ? this.#openGuestTicket(focus) : this.#show("new", focus));
    else if (id) await this.#openTicket(id, focus);
    else this.#show(route === "new" ? "new" : "list", focus);
  }

  // ---- views --------------------------------------------------------------------------------

  async #openTicket(id: string, focus = true): Promise<void> {
    const session = this.#session;
    const shown = this.#shown;
    const [detail] = await Promise.all([
      session.call<{ ticket: TicketDetail }>("GET", `/tickets/${encodeURIComponent(id)}`, undefined, {
        retry: () => void this.#openTicket(id),
      }),
      import("./ticket-thread"),
    ]);
    // The person went elsewhere meanwhile: that is where they are.
    if (this.#shown !== shown) return;
    if (detail.ok) {
      this.ticket = detail.value.ticket;
      this.#show("thread", focus);
    } else if (this.view !== "thread") {
      // A link to a ticket that is not theirs (or is gone): their list, under the message that says so.
      const { notice } = session;
      this.#show("list", focus);
      session.notice = notice;
    }
  }

  async #openGuestTicket(focus: boolean): Promise<void> {
    const list = await this.#session.call<{ tickets: TicketView[] }>("GET", "/tickets?limit=1");
    const first = list.ok && list.value.tickets[0];
    if (first) await this.#openTicket(first.id, focus);
  }

  /**
   * The form, once its module is here (on demand: a signed-in customer's first view is the list).
   * Its element was made before the module came, and is not in the page while another view
   * shows, so it is upgraded by hand. Lit hands an upgraded element the properties set before only
   * at its first update: the session is given again, for prefill() before that.
   */
  async #formReady(): Promise<EdgedeskTicketForm> {
    await import("./ticket-form");
    customElements.upgrade(this.#form);
    this.#form.session = this.#session;
    // It finds the draft of whoever the session is for now.
    this.#form.requestUpdate();
    return this.#form;
  }

  #show(view: View, focus = true): void {
    this.view = view;
    this.#session.notice = undefined;
    if (view === "list") void this.#list.load();
    const shown = view === "new" ? this.#formReady().then((form) => form.updateComplete) : undefined;
    // The heading of the view, or the thread, which moves focus to its own once it is there.
    void Promise.all([shown, this.updateComplete]).then(
      () => focus && this.renderRoot.querySelector<HTMLElement>("h2, edgedesk-ticket-thread")?.focus(),
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
              <button part="button" aria-current=${this.view === "list" || this.view === "thread" ? "page" : "false"} @click=${() => this.#go("")}>${t.msg("myTickets")}</button>
              <button part="button primary" class="primary" aria-current=${this.view === "new" ? "page" : "false"} @click=${() => this.#go("new")}>${t.msg("newTicket")}</button>
            </nav>`
        }
      </header>
      ${c ? html`<p class="hours">${this.#hoursLine(c)}</p>` : nothing}
      ${this.view === "new" ? nothing : statusNotice(c, t)}
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
        return html`${this.#session.guest ? html`<p class="notice">${this.#session.t.msg("guestLinkOpened")}</p>` : nothing}
          <edgedesk-ticket-thread .session=${this.#session} .ticket=${this.ticket} @edgedesk-back=${() => this.#go("")}
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
      <button part="button primary" class="primary" @click=${() => this.#go(`ticket/${created.ticket.id}`)}>${t.msg("viewTicket")}</button>
    </section>`;
  }
}

if (!customElements.get("edgedesk-tickets")) customElements.define("edgedesk-tickets", EdgedeskTickets);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-tickets": EdgedeskTickets;
  }
}
