import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { noticeAt } from "../elements/notice";
import { followScheme, theme } from "../elements/theme.styles";
import { pickLocale } from "../i18n";
import { SESSION_INPUTS, Session } from "../session";
import { styles } from "./console.styles";
import "./queue";
import { type ConsoleRoute, formatRoute, parseRoute } from "./route";
import { ConsoleText, loadConsoleText } from "./text";

/**
 * The ticket view (with the thread it shares with the customer's widget) is its own chunk: the
 * queue, the first view, does not wait for it. It is fetched when a ticket opens, or just after
 * the queue first shows, so that opening one is not a wait either.
 */
const loadTicketView = () => import("./ticket");

const SHORTCUTS = [
  ["j / k", "key_jk"],
  ["Enter", "key_enter"],
  ["r", "key_r"],
  ["n", "key_n"],
  ["a", "key_a"],
  ["Escape", "key_escape"],
  ["?", "key_help"],
] as const;

/**
 * The agent console: where a provider's or reseller's support team works its tickets. The queue
 * (saved views with counts, search, sort) and one ticket at a time (the thread in staff mode,
 * controls, canned replies, reveal, escalation); admins also get the desk's settings. Where the
 * agent is lives in the URL hash, so Back, reload and pasted links work. Signed in the same way
 * as <edgedesk-tickets>: a token with `role: "agent"` or `"admin"` from the admin panel. Every
 * property may be set before the script has loaded (it is kept), and every input may change at
 * any time: the console starts again for the new values.
 *
 * @attr api - Base URL of the Edgedesk Worker, e.g. https://desk.example.com
 * @attr tenant - The tenant id (provider or reseller)
 * @attr token - A host-signed embed token with role agent or admin (or set `tokenProvider`)
 * @attr lang - Language (en, ru); defaults to the page's
 * @prop {(() => Promise<string>) | undefined} tokenProvider - Asked for a fresh token at start and whenever the current one is refused; setting it starts the session again
 *
 * @fires {EdgedeskReplySentEvent} edgedesk-reply-sent - A reply or note was sent; `detail.ticketId`, `detail.messageId`
 * @fires {EdgedeskErrorEvent} edgedesk-error - A request failed; `detail.status`, `detail.code`, `detail.detail`
 *
 * @csspart header - The top bar with brand and tabs
 * @csspart button - Every button
 * @csspart primary - The main action buttons
 * @csspart input - Text inputs, selects and text areas
 * @csspart badge - A status badge
 * @csspart message - A message of a thread
 *
 * @cssproperty --edgedesk-accent - Accent (buttons, focus); defaults to the tenant's brand colour
 * @cssproperty --edgedesk-on-accent - Text on the accent colour
 * @cssproperty --edgedesk-background - Background
 * @cssproperty --edgedesk-surface - Background of cards, the selected row and staff messages
 * @cssproperty --edgedesk-foreground - Text colour
 * @cssproperty --edgedesk-muted - Secondary text
 * @cssproperty --edgedesk-border - Borders
 * @cssproperty --edgedesk-danger - Errors and passed deadlines
 * @cssproperty --edgedesk-radius - Corner radius
 * @cssproperty --edgedesk-font - Font family
 * @cssproperty --edgedesk-focus - Focus ring
 */
export class EdgedeskConsole extends LitElement {
  static override styles = [theme, styles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    api: {},
    tenant: {},
    token: {},
    lang: {},
    tokenProvider: { attribute: false },
    route: { state: true },
    text: { state: true },
    ready: { state: true },
    settingsReady: { state: true },
  };

  declare api: string;
  declare tenant: string;
  declare token: string | undefined;
  declare lang: string;
  declare tokenProvider: (() => Promise<string>) | undefined;
  declare route: ConsoleRoute;
  declare text: ConsoleText;
  declare ready: boolean;
  /** The admin screens' modules are loaded (on first visit to Settings). */
  declare settingsReady: boolean;

  readonly #session = new Session(this);
  readonly #internals = this.attachInternals();
  /** The ticket was opened from the queue on this page: Back to the queue is the browser's Back. */
  #fromQueue = false;

  constructor() {
    super();
    this.api = "";
    this.tenant = "";
    this.lang = "";
    this.route = parseRoute(location.hash);
    this.text = new ConsoleText();
    this.ready = false;
    this.settingsReady = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("hashchange", this.#onHash);
    document.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.#onHash);
    document.removeEventListener("keydown", this.#onKey);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const session = this.#session;
    session.api = this.api;
    session.tenant = this.tenant;
    session.token = this.token;
    session.tokenProvider = this.tokenProvider;
    // As <edgedesk-tickets>: whatever the order a page sets things in, start (again) for these inputs.
    if (this.tenant && SESSION_INPUTS.some((input) => changed.has(input))) void this.#start();
    const accent = session.config?.branding.accentColor;
    if (accent) this.style.setProperty("--_brand-accent", accent);
    if (changed.has("route") && changed.get("route")?.ticket && !this.route.ticket)
      void this.updateComplete.then(() => this.renderRoot.querySelector("edgedesk-console-queue")?.refresh());
  }

  async #start(): Promise<void> {
    const locale = pickLocale(
      this.lang || this.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || navigator.language,
    );
    this.ready = false;
    const [text] = await Promise.all([loadConsoleText(locale), this.#session.start(locale)]);
    this.text = text;
    this.ready = true;
  }

  #onHash = (): void => {
    const next = parseRoute(location.hash);
    this.#fromQueue = !!next.ticket && !this.route.ticket;
    this.route = next;
    if (!next.ticket) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("h2")?.focus());
  };

  #go(change: Partial<ConsoleRoute>): void {
    location.hash = formatRoute({ ...this.route, ...change });
  }

  /** Back to the queue: the browser's Back when the ticket was opened from it, else the queue's address. */
  #back(): void {
    if (this.#fromQueue) history.back();
    else this.#go({ ticket: null });
  }

  get #isAdmin(): boolean {
    return (this.#session.person as { role?: string } | undefined)?.role === "admin";
  }

  /** The console's shortcuts; never while the agent types in a field, nor for keys meant for the page. */
  #onKey = (e: KeyboardEvent): void => {
    if (!this.ready || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const path = e.composedPath();
    const target = path[0];
    if (!(path.includes(this) || target === document.body || target === document.documentElement)) return;
    if (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.closest("dialog"))
    )
      return;
    const run = this.#shortcut(e.key, target);
    if (!run) return;
    e.preventDefault();
    run();
  };

  /** What a key does where the agent is, if anything. */
  #shortcut(key: string, target: EventTarget | undefined): (() => void) | undefined {
    const queue = this.renderRoot.querySelector("edgedesk-console-queue");
    const ticket = this.renderRoot.querySelector("edgedesk-console-ticket");
    if (key === "?") return () => this.renderRoot.querySelector("dialog")?.showModal();
    if (this.route.tab !== "queue") return undefined;
    if (!this.route.ticket && queue) {
      if (key === "j") return () => queue.move(1);
      if (key === "k") return () => queue.move(-1);
      // A focused link opens itself; Enter opens the selected row from anywhere else.
      if (key === "Enter" && !(target instanceof HTMLAnchorElement) && queue.selected >= 0)
        return () => queue.openSelected();
      return undefined;
    }
    // Before its chunk has come, the ticket view is not defined yet: no shortcuts on it.
    if (!ticket || !customElements.get("edgedesk-console-ticket")) return undefined;
    const actions: Record<string, () => void> = {
      r: () => ticket.compose("reply"),
      n: () => ticket.compose("note"),
      a: () => ticket.assignToMe(),
      Escape: () => this.#back(),
    };
    return actions[key];
  }

  /** Light or dark as the host page is (the widget's theme), and readable text on the tenant's accent. */
  protected override firstUpdated(): void {
    // The first view is on screen: now the ticket view's chunk, so that opening a ticket does not wait for it.
    setTimeout(() => void loadTicketView(), 0);
  }

  protected override updated(): void {
    followScheme(this, this.#internals.states);
  }

  protected override render(): TemplateResult {
    const session = this.#session;
    const { config: c, t, notice } = session;
    const x = this.text;
    const route = this.route;
    const tabs = this.#isAdmin ? (["queue", "settings"] as const) : (["queue"] as const);
    return html`<div class="wrap">
      <header part="header">
        <div class="brand">
          ${c?.branding.logoUrl ? html`<img src=${c.branding.logoUrl} alt="">` : nothing}
          <span>${c?.branding.productName ?? ""} · ${x.msg("title")}</span>
        </div>
        <nav aria-label=${x.msg("title")}><ul>
          ${tabs.map(
            (tab) =>
              html`<li><a class="tab" href=${formatRoute({ ...route, tab, ticket: null })} aria-current=${route.tab === tab ? "page" : "false"}>${x.msg(tab === "queue" ? "tabQueue" : "tabSettings")}</a></li>`,
          )}
          <li><button part="button" aria-keyshortcuts="?" @click=${() => this.renderRoot.querySelector("dialog")?.showModal()}>${x.msg("shortcuts")}</button></li>
        </ul></nav>
      </header>
      ${noticeAt(session)}
      ${this.ready && c ? this.#renderMain() : notice ? nothing : html`<p>${t.msg("loading")}</p>`}
      <dialog aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">${x.msg("shortcuts")}</h2>
        <dl>${SHORTCUTS.map(([key, what]) => html`<dt><kbd>${key}</kbd></dt><dd>${x.msg(what)}</dd>`)}</dl>
        <form method="dialog"><p><button part="button primary" class="primary">${x.msg("close")}</button></p></form>
      </dialog>
      <div class="sr-only" role="status" aria-live="polite">${session.announcement}</div>
    </div>`;
  }

  #renderMain(): TemplateResult {
    const session = this.#session;
    const route = this.route;
    if (route.tab === "settings" && this.#isAdmin) {
      if (!this.settingsReady) {
        // The admin screens are loaded on demand: agents never fetch them.
        void Promise.all([import("./settings"), import("./canned-replies")]).then(() => (this.settingsReady = true));
        return html`<p>${this.text.msg("settingsLoading")}</p>`;
      }
      return html`<section aria-labelledby="settings-title">
        <h2 id="settings-title" class="sr-only" tabindex="-1">${this.text.msg("tabSettings")}</h2>
        <edgedesk-console-settings .session=${session}></edgedesk-console-settings>
        <edgedesk-canned-replies .session=${session}></edgedesk-canned-replies>
      </section>`;
    }
    // Already on its way after the first view; a link straight to a ticket asks for it here first.
    if (route.ticket) void loadTicketView();
    return html`
      <edgedesk-console-queue .session=${session} .text=${this.text} .route=${route} ?hidden=${!!route.ticket}
        @edgedesk-route=${(e: CustomEvent<Partial<ConsoleRoute>>) => this.#go(e.detail)}></edgedesk-console-queue>
      ${
        route.ticket
          ? html`<edgedesk-console-ticket .session=${session} .text=${this.text} .route=${route} .ticketId=${route.ticket}
            @edgedesk-back=${() => this.#back()}></edgedesk-console-ticket>`
          : nothing
      }`;
  }
}

if (!customElements.get("edgedesk-console")) customElements.define("edgedesk-console", EdgedeskConsole);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-console": EdgedeskConsole;
  }
}
