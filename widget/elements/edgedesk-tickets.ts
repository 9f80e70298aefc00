import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { ApiProblem, Client, tokenClaims, type Credentials } from "../api";
import { clearDraft, loadDraft, saveDraft } from "../drafts";
import { ErrorEvent, ReplySentEvent, TicketCreatedEvent } from "../events";
import { checkForm, type FormValues } from "../form-check";
import { loadLocale, Messages, pickLocale } from "../i18n";
import type { Department, PublicConfig, Status, TicketDetail, TicketView } from "../types";
import { styles } from "./tickets.styles";
import type { ThreadView } from "./thread-view";

type View = "list" | "new" | "created" | "thread";
const STATUSES: Status[] = ["open", "in_progress", "answered", "on_hold", "closed"];

interface FormDraft {
  values: FormValues;
  /** Chosen when the draft starts, so a retried send can never file two tickets. */
  idempotencyKey: string;
}

/**
 * The end user's support widget: file tickets, follow them, reply, vote on answers.
 *
 * @attr api - Base URL of the Edgedesk Worker, e.g. https://desk.example.com
 * @attr tenant - The tenant id (provider or reseller)
 * @attr token - A host-signed embed token (or set `tokenProvider`)
 * @attr access-key - A guest's ticket key (also read from `#edgedesk-key=` in the page URL)
 * @attr lang - Language (en, ru); defaults to the page's
 *
 * @fires edgedesk-ticket-created - A ticket was filed; `detail.ticket`
 * @fires edgedesk-reply-sent - A reply was sent; `detail.ticketId`, `detail.messageId`
 * @fires edgedesk-error - A request failed; `detail.status`, `detail.code`, `detail.detail`
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
 * @cssproperty --edgedesk-on-accent - Text on the accent colour
 * @cssproperty --edgedesk-background - Background
 * @cssproperty --edgedesk-surface - Background of cards and guidance
 * @cssproperty --edgedesk-foreground - Text colour
 * @cssproperty --edgedesk-muted - Secondary text
 * @cssproperty --edgedesk-border - Borders
 * @cssproperty --edgedesk-danger - Errors
 * @cssproperty --edgedesk-radius - Corner radius
 * @cssproperty --edgedesk-font - Font family
 * @cssproperty --edgedesk-focus - Focus ring
 */
export class EdgedeskTickets extends LitElement {
  static override styles = styles;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override properties = {
    api: {},
    tenant: {},
    token: {},
    guestKey: { attribute: "access-key" },
    lang: {},
    view: { state: true },
    config: { state: true },
    tickets: { state: true },
    nextCursor: { state: true },
    filter: { state: true },
    thread: { state: true },
    values: { state: true },
    errors: { state: true },
    notice: { state: true },
    busy: { state: true },
    created: { state: true },
    announcement: { state: true },
    threadView: { state: true },
  };

  declare api: string;
  declare tenant: string;
  declare token: string | undefined;
  declare guestKey: string | undefined;
  declare lang: string;
  /** Asked for a fresh token at start and whenever the current one is refused. */
  tokenProvider: (() => Promise<string>) | undefined = undefined;

  declare view: View;
  declare config: PublicConfig | undefined;
  declare tickets: TicketView[] | undefined;
  declare nextCursor: string | null;
  declare filter: string;
  declare thread: TicketDetail | undefined;
  declare values: FormValues;
  declare errors: Record<string, string>;
  declare notice: { text: string; retry?: () => void } | undefined;
  declare busy: boolean;
  declare created: { ticket: TicketView; accessKey?: string } | undefined;
  declare announcement: string;
  declare threadView: ThreadView | undefined;

  t = new Messages("en");
  /** The API client; the attachment picker uploads through its options and credentials. */
  client: Client | undefined;
  private currentToken: string | undefined;
  private idempotencyKey: string = crypto.randomUUID();
  /** Set once the person's draft (if any) is restored; until then nothing is saved over it. */
  private draftRestored = false;
  /** What newTicket() asked for before the draft was restored: it wins over the draft. */
  private prefill: FormValues = {};

  constructor() {
    super();
    this.api = "";
    this.tenant = "";
    this.lang = "";
    this.view = "list";
    this.nextCursor = null;
    this.filter = "";
    this.values = {};
    this.errors = {};
    this.busy = false;
    this.announcement = "";
  }

  // ---- public API -------------------------------------------------------------------------

  /** Shows the person's tickets. */
  open(): void {
    this.show("list");
  }

  /** Opens the new-ticket form prefilled from the panel's context (e.g. the site being viewed). */
  newTicket(prefill: { department?: string; subject?: string; serviceId?: string } = {}): void {
    const values: FormValues = { ...this.values };
    if (prefill.department) values.department = prefill.department;
    if (prefill.subject) values.subject = prefill.subject;
    if (prefill.serviceId) values.serviceId = prefill.serviceId;
    if (!this.draftRestored) this.prefill = { ...this.prefill, ...values };
    this.values = values;
    this.persistForm();
    this.show("new");
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    const fromHash = /[#&]edgedesk-key=([\w-]+)/.exec(location.hash)?.[1];
    if (fromHash && !this.guestKey) this.guestKey = fromHash;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("api") || changed.has("tenant")) {
      this.client = new Client({ api: this.api, tenant: this.tenant, credentials: (refresh) => this.credentials(refresh) });
    }
  }

  protected override async firstUpdated(): Promise<void> {
    const locale = pickLocale(this.lang || this.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || navigator.language);
    await loadLocale(locale);
    this.t = new Messages(locale);
    // Drafts are kept per person, so who it is must be known before one is restored. A failing
    // token provider is reported by the first request that needs it, not here.
    await Promise.all([this.loadConfig(), this.guestMode ? undefined : this.credentials(false).catch(() => undefined)]);
    this.restoreDraft();
    if (this.guestMode && !this.guestKey) this.view = "new";
    else if (this.guestMode) await this.openGuestTicket();
    else if (this.view === "list") await this.loadTickets(true);
  }

  private get guestMode(): boolean {
    return !this.token && !this.tokenProvider;
  }

  private get draftKey(): string {
    return `edgedesk:draft:${this.tenant}:${this.currentToken ? tokenClaims(this.currentToken).sub ?? "" : "guest"}`;
  }

  private async credentials(refresh: boolean): Promise<Credentials> {
    if (this.guestKey && this.guestMode) return { kind: "key", key: this.guestKey };
    if (this.tokenProvider && (refresh || !this.currentToken)) this.currentToken = await this.tokenProvider();
    else if (!this.currentToken) this.currentToken = this.token;
    return this.currentToken ? { kind: "token", token: this.currentToken } : { kind: "none" };
  }

  // ---- data ---------------------------------------------------------------------------------

  /** The last failure, for callers that show field errors where they belong. */
  lastProblem: ApiProblem | undefined;

  /** Runs a request; a failure is shown (with a retry where it makes sense), announced and fired. */
  async call<T>(work: () => Promise<T>, retry?: () => void): Promise<T | undefined> {
    this.busy = true;
    this.notice = undefined;
    this.lastProblem = undefined;
    try {
      return await work();
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem(0, "network", String(error));
      this.lastProblem = problem;
      this.dispatchEvent(new ErrorEvent(problem));
      // Field errors are shown at their fields by the caller.
      if (problem.errors.length) return undefined;
      const text = problem.isNetwork
        ? this.t.msg("networkError")
        : problem.status === 401
          ? this.t.msg("sessionExpired")
          : this.t.msg("genericError", { detail: problem.detail });
      this.notice = retry ? { text, retry } : { text };
      this.announce(text);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  private async loadConfig(): Promise<void> {
    const config = await this.call(() => this.client!.request<PublicConfig>("GET", "/config"), () => void this.loadConfig());
    if (!config) return;
    this.config = config;
    this.style.setProperty("--_brand-accent", config.branding.accentColor);
    if (!this.values.department && config.departments[0]) this.values = { ...this.values, department: config.departments[0].id };
    if (!this.values.priority) this.values = { ...this.values, priority: config.defaultPriority };
  }

  async loadTickets(reset: boolean): Promise<void> {
    const params = new URLSearchParams({ limit: "20" });
    if (this.filter) params.set("status", this.filter);
    if (!reset && this.nextCursor) params.set("cursor", this.nextCursor);
    const page = await this.call(
      () => this.client!.request<{ tickets: TicketView[]; nextCursor: string | null }>("GET", `/tickets?${params}`),
      () => void this.loadTickets(reset),
    );
    if (!page) return;
    this.tickets = reset ? page.tickets : [...(this.tickets ?? []), ...page.tickets];
    this.nextCursor = page.nextCursor;
  }

  async openTicket(id: string): Promise<void> {
    const [detail, threadView] = await Promise.all([
      this.call(() => this.client!.request<{ ticket: TicketDetail }>("GET", `/tickets/${encodeURIComponent(id)}`), () => void this.openTicket(id)),
      this.threadView ?? import("./thread-view").then((m) => m.ThreadView.create(this)),
    ]);
    if (!detail) return;
    this.threadView ??= threadView;
    this.thread = detail.ticket;
    this.show("thread");
  }

  private async openGuestTicket(): Promise<void> {
    const list = await this.call(() => this.client!.request<{ tickets: TicketView[] }>("GET", "/tickets?limit=1"));
    const first = list?.tickets[0];
    if (first) await this.openTicket(first.id);
  }

  /** Used by the thread view: sends a reply, a status change or a vote, then refreshes. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    return this.call(() => this.client!.request<T>(method, path, body));
  }

  replySent(ticketId: string, messageId: string): void {
    this.dispatchEvent(new ReplySentEvent(ticketId, messageId));
  }

  announce(text: string): void {
    // Clearing first makes screen readers repeat an identical message.
    this.announcement = "";
    requestAnimationFrame(() => (this.announcement = text));
  }

  show(view: View): void {
    this.view = view;
    this.notice = undefined;
    if (view === "list") void this.loadTickets(true);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("h2")?.focus());
  }

  // ---- the form -----------------------------------------------------------------------------

  private get department(): Department | undefined {
    return this.config?.departments.find((d) => d.id === this.values.department);
  }

  private services(): { id: string; label: string }[] {
    return this.currentToken ? tokenClaims(this.currentToken).services ?? [] : [];
  }

  private setValue(key: string, value: string | boolean): void {
    this.values = { ...this.values, [key]: value };
    if (this.errors[key]) {
      const { [key]: _, ...rest } = this.errors;
      this.errors = rest;
    }
    this.persistForm();
  }

  /** The draft wins over the config's defaults; what the panel prefilled wins over the draft. */
  private restoreDraft(): void {
    const draft = loadDraft<FormDraft>(this.draftKey);
    if (draft) {
      this.values = { ...this.values, ...draft.values, ...this.prefill };
      this.idempotencyKey = draft.idempotencyKey;
    }
    this.draftRestored = true;
    if (Object.keys(this.prefill).length) this.persistForm();
  }

  private persistForm(): void {
    if (!this.draftRestored) return;
    saveDraft(this.draftKey, { values: this.values, idempotencyKey: this.idempotencyKey } satisfies FormDraft);
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const guest = this.guestMode;
    this.errors = checkForm(this.values, this.department, guest, this.t);
    if (Object.keys(this.errors).length) return this.focusFirstError();

    // Ids of the finished uploads; null while some are still uploading (the picker says so). A
    // picker whose module has not arrived yet has no take(), and no files either.
    const files = this.renderRoot.querySelector("edgedesk-attachments");
    const attachmentIds = files?.take ? files.take() : [];
    if (!attachmentIds) return;

    const v = this.values;
    const fields: Record<string, string | boolean> = {};
    for (const f of this.department?.fields ?? []) {
      const value = v[`fields.${f.id}`];
      if (value !== undefined && value !== "") fields[f.id] = value;
    }
    const body = {
      department: v.department,
      subject: String(v.subject ?? "").trim(),
      message: String(v.message ?? "").trim(),
      priority: v.priority,
      fields,
      ...(v.serviceId ? { serviceId: v.serviceId } : {}),
      ...(v.sensitive ? { sensitive: v.sensitive } : {}),
      ...(attachmentIds.length ? { attachmentIds } : {}),
      // The private link mailed to a guest opens this page (the server accepts only the panel's own origins).
      ...(guest ? { guest: { name: String(v["guest.name"] ?? "").trim(), email: String(v["guest.email"] ?? "").trim(), returnUrl: location.href.split("#")[0] } } : {}),
    };
    const result = await this.call(
      () => this.client!.request<{ ticket: TicketView; accessKey?: string }>("POST", "/tickets", body, { "Idempotency-Key": this.idempotencyKey }),
      () => void this.submit(new Event("submit")),
    );
    if (!result) {
      // The server's field errors, shown at their fields; anything else is in the notice above.
      // Refused attachment ids are shown at their files by the picker.
      const fieldErrors = files?.refuse ? files.refuse(this.lastProblem?.errors ?? []) : this.lastProblem?.errors ?? [];
      if (this.lastProblem?.code === "idempotency_key_reused") {
        // An earlier version of this draft was filed (its answer was lost) and the text has changed
        // since. Say so, keep the text, and let a deliberate second send file it as a new ticket.
        this.idempotencyKey = crypto.randomUUID();
        this.persistForm();
        this.notice = { text: this.t.msg("alreadyFiled") };
        this.announce(this.notice.text);
      } else if (fieldErrors.length) {
        this.errors = Object.fromEntries(fieldErrors.map((e) => [e.path, e.message]));
        this.focusFirstError();
      }
      return;
    }
    clearDraft(this.draftKey);
    files?.clear?.();
    this.idempotencyKey = crypto.randomUUID();
    this.values = { department: v.department ?? "", priority: this.config?.defaultPriority ?? "medium" };
    this.created = result.accessKey ? { ticket: result.ticket, accessKey: result.accessKey } : { ticket: result.ticket };
    if (result.accessKey) this.guestKey = result.accessKey;
    this.dispatchEvent(new TicketCreatedEvent(result.ticket));
    this.announce(this.t.msg("created", { number: result.ticket.number }));
    this.show("created");
  }

  private focusFirstError(): void {
    this.announce(this.t.msg("fixErrors"));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  expectation(ticket: TicketView): string {
    const e = ticket.expectedResponse;
    if (!e) return "";
    switch (e.kind) {
      case "business_hours":
        return this.t.msg("expectBusinessHours");
      case "on_call":
        return this.t.msg("expectOnCall");
      case "next_morning":
        return this.t.msg("expectNextMorning");
      case "next_business_day":
        return this.t.msg("expectNextBusinessDay", { when: e.opensAt ? this.t.dateTime(e.opensAt, "long") : "" });
    }
  }

  // ---- rendering ----------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const c = this.config;
    return html`<div class="wrap">
      <header part="header">
        <div class="brand">
          ${c?.branding.logoUrl ? html`<img src=${c.branding.logoUrl} alt="" />` : nothing}
          <span>${c?.branding.productName ?? ""}</span>
        </div>
        ${this.guestMode
          ? nothing
          : html`<nav aria-label=${c?.branding.productName ?? "Support"}>
              <button part="button" aria-current=${this.view === "list" || this.view === "thread" ? "page" : "false"} @click=${() => this.show("list")}>${this.t.msg("myTickets")}</button>
              <button part="button primary" class="primary" aria-current=${this.view === "new" ? "page" : "false"} @click=${() => this.show("new")}>${this.t.msg("newTicket")}</button>
            </nav>`}
      </header>
      ${c ? html`<p class="hours">${this.hoursLine(c)}</p>` : nothing}
      ${this.notice
        ? html`<div class="notice bad" role="alert">${this.notice.text}
            ${this.notice.retry ? html` <button part="button" @click=${this.notice.retry}>${this.t.msg("retry")}</button>` : nothing}</div>`
        : nothing}
      ${this.renderView()}
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  private hoursLine(c: PublicConfig): string {
    if (c.supportHours.openNow) return this.t.msg("supportOpen");
    return c.supportHours.nextOpening
      ? this.t.msg("supportClosedUntil", { when: this.t.dateTime(c.supportHours.nextOpening, "long") })
      : this.t.msg("supportClosed");
  }

  private renderView(): TemplateResult | typeof nothing {
    if (!this.config) return this.busy ? html`<p>${this.t.msg("loading")}</p>` : nothing;
    switch (this.view) {
      case "new":
        return this.renderForm(this.config);
      case "created":
        return this.renderCreated();
      case "thread":
        return this.thread && this.threadView ? this.threadView.render(this.thread) : nothing;
      default:
        return this.renderList();
    }
  }

  badge(status: Status): TemplateResult {
    return html`<span part="badge" class="badge s-${status}">${this.t.msg(`status_${status}`)}</span>`;
  }

  private renderList(): TemplateResult {
    const t = this.t;
    return html`<section aria-labelledby="list-title">
      <div class="row" style="justify-content: space-between">
        <h2 id="list-title" tabindex="-1">${t.msg("myTickets")}</h2>
        <label class="row" style="font-weight: 400">${t.msg("filterLabel")}
          <select part="input" style="width: auto" .value=${this.filter} @change=${(e: Event) => {
            this.filter = (e.target as HTMLSelectElement).value;
            void this.loadTickets(true);
          }}>
            <option value="">${t.msg("filterAll")}</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${this.filter === s}>${t.msg(`status_${s}`)}</option>`)}
          </select>
        </label>
      </div>
      ${this.tickets === undefined
        ? html`<p>${t.msg("loading")}</p>`
        : this.tickets.length === 0
          ? html`<div class="notice"><p>${this.filter ? t.msg("noTicketsFiltered") : t.msg("noTickets")}</p>
              <button part="button primary" class="primary" @click=${() => this.show("new")}>${t.msg("newTicket")}</button></div>`
          : html`<ul class="list">
              ${this.tickets.map(
                (k) => html`<li>
                  <button part="button ticket" class="ticket" @click=${() => void this.openTicket(k.id)}>
                    <span class="subject">#${k.number} · ${k.subject}</span>
                    ${this.badge(k.status)}
                    <span class="meta">${t.msg(`priority_${k.priority}`)} · ${t.msg("lastActivity", { when: t.dateTime(k.lastActivityAt) })}</span>
                  </button>
                </li>`,
              )}
            </ul>`}
      ${this.nextCursor
        ? html`<p><button part="button" ?disabled=${this.busy} @click=${() => void this.loadTickets(false)}>${t.msg("loadMore")}</button></p>`
        : nothing}
    </section>`;
  }

  private fieldError(key: string): TemplateResult | typeof nothing {
    const error = this.errors[key];
    return error ? html`<p class="error" id="err-${key}">${error}</p>` : nothing;
  }

  private describedBy(key: string, hint?: string): string {
    return [hint, this.errors[key] ? `err-${key}` : ""].filter(Boolean).join(" ");
  }

  private textInput(key: string, label: string, options: { hint?: string; type?: string; placeholder?: string; autocomplete?: string } = {}): TemplateResult {
    const hintId = options.hint ? `hint-${key}` : undefined;
    return html`<div class="field">
      <label for=${key}>${label}</label>
      ${options.hint ? html`<p class="hint" id=${hintId}>${options.hint}</p>` : nothing}
      <input part="input" id=${key} name=${key} type=${options.type ?? "text"} .value=${String(this.values[key] ?? "")}
        placeholder=${options.placeholder ?? ""} autocomplete=${options.autocomplete ?? "off"}
        aria-invalid=${this.errors[key] ? "true" : "false"} aria-describedby=${this.describedBy(key, hintId)}
        @input=${(e: Event) => this.setValue(key, (e.target as HTMLInputElement).value)} />
      ${this.fieldError(key)}
    </div>`;
  }

  private renderForm(c: PublicConfig): TemplateResult {
    const t = this.t;
    const dept = this.department;
    const services = this.services();
    // A guest has no access key before filing, and uploads need one.
    const guest = this.guestMode;
    return html`<section aria-labelledby="form-title">
      <h2 id="form-title" tabindex="-1">${t.msg("newTicket")}</h2>
      <form novalidate @submit=${(e: Event) => void this.submit(e)}>
        ${guest
          ? html`<p class="notice">${t.msg("guestIntro")}</p>
              ${this.textInput("guest.name", t.msg("guestName"), { autocomplete: "name" })}
              ${this.textInput("guest.email", t.msg("guestEmail"), { type: "email", autocomplete: "email" })}`
          : nothing}
        <div class="field">
          <label for="department">${t.msg("department")}</label>
          <select part="input" id="department" aria-describedby="hint-department ${this.errors.department ? "err-department" : ""}"
            aria-invalid=${this.errors.department ? "true" : "false"}
            @change=${(e: Event) => this.setValue("department", (e.target as HTMLSelectElement).value)}>
            ${c.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === this.values.department}>${t.tenant(d.name)}</option>`)}
          </select>
          <p class="hint" id="hint-department">${dept ? t.tenant(dept.description) : ""}</p>
          ${this.fieldError("department")}
        </div>
        ${(dept?.fields ?? []).map((f) => {
          const key = `fields.${f.id}`;
          if (f.kind === "yesno") {
            return html`<fieldset class="field choices" aria-describedby=${this.describedBy(key, `hint-${key}`)}>
              <legend class="label">${t.tenant(f.label)}</legend>
              <p class="hint" id="hint-${key}">${[f.help, f.mustBeYesReason].filter(Boolean).map((s) => t.tenant(s!)).join(" ")}</p>
              <div class="row">
                ${[true, false].map(
                  (answer) => html`<label class="choice"><input type="radio" name=${key} .checked=${this.values[key] === answer}
                    aria-invalid=${this.errors[key] ? "true" : "false"} @change=${() => this.setValue(key, answer)} />
                    ${answer ? t.msg("yes") : t.msg("no")}</label>`,
                )}
              </div>
              ${this.fieldError(key)}
            </fieldset>`;
          }
          if (f.kind === "select") {
            return html`<div class="field"><label for=${key}>${t.tenant(f.label)}</label>
              <select part="input" id=${key} aria-invalid=${this.errors[key] ? "true" : "false"} aria-describedby=${this.describedBy(key)}
                @change=${(e: Event) => this.setValue(key, (e.target as HTMLSelectElement).value)}>
                <option value=""></option>
                ${f.options.map((o) => html`<option value=${o.value} ?selected=${this.values[key] === o.value}>${t.tenant(o.label)}</option>`)}
              </select>${this.fieldError(key)}</div>`;
          }
          return this.textInput(key, t.tenant(f.label), f.help ? { hint: t.tenant(f.help) } : {});
        })}
        ${this.textInput("subject", t.msg("subject"), { hint: t.msg("subjectHint") })}
        ${services.length
          ? html`<div class="field"><label for="serviceId">${t.msg("service")}</label>
              <select part="input" id="serviceId" @change=${(e: Event) => this.setValue("serviceId", (e.target as HTMLSelectElement).value)}>
                <option value="">${t.msg("serviceNone")}</option>
                ${services.map((s) => html`<option value=${s.id} ?selected=${this.values.serviceId === s.id}>${s.label}</option>`)}
              </select></div>`
          : nothing}
        <div class="field">
          <label for="message">${t.msg("message")}</label>
          <div class="hint" id="hint-message">${t.msg("messageHint")}
            <ul class="guide">${c.guidance.message.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
          </div>
          <textarea part="input" id="message" .value=${String(this.values.message ?? "")}
            aria-invalid=${this.errors.message ? "true" : "false"} aria-describedby=${this.describedBy("message", "hint-message")}
            @input=${(e: Event) => this.setValue("message", (e.target as HTMLTextAreaElement).value)}></textarea>
          ${this.fieldError("message")}
        </div>
        ${guest ? html`<p class="hint">${t.msg("attachAfterFiling")}</p>` : this.attachments(`${this.draftKey}:files`)}
        <fieldset class="field choices">
          <legend class="label">${t.msg("priority")}</legend>
          ${c.priorities.map(
            (p) => html`<label class="choice"><input type="radio" name="priority" .checked=${this.values.priority === p.id}
              @change=${() => this.setValue("priority", p.id)} />
              <span><strong>${t.msg(`priority_${p.id}`)}</strong>${t.msg(`priorityMeaning_${p.id}`)}</span></label>`,
          )}
        </fieldset>
        ${this.textInput("sensitive", t.msg("sensitive"), { type: "password", hint: t.msg("sensitiveHint"), autocomplete: "new-password" })}
        <details>
          <summary>${t.msg("qualifiesTitle")}</summary>
          <h3>${t.msg("qualifies")}</h3><ul class="guide">${c.guidance.qualifies.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
          <h3>${t.msg("notQualifies")}</h3><ul class="guide">${c.guidance.doesNotQualify.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
        </details>
        <details>
          <summary>${t.msg("emergenciesTitle")}</summary>
          <ul class="guide">${c.guidance.emergencies.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
        </details>
        <p class="hint">${t.msg("draftKept")}</p>
        <button part="button primary" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? t.msg("sending") : t.msg("submit")}</button>
      </form>
    </section>`;
  }

  /** The attachment picker for a message; its module is loaded the first time one is shown. */
  attachments(draft: string, ticket?: string): TemplateResult {
    void import("./attachment-picker");
    return html`<edgedesk-attachments .host=${this} .draft=${draft} .ticket=${ticket}></edgedesk-attachments>`;
  }

  private renderCreated(): TemplateResult | typeof nothing {
    const created = this.created;
    if (!created) return nothing;
    const t = this.t;
    const link = created.accessKey ? `${location.href.split("#")[0]}#edgedesk-key=${created.accessKey}` : "";
    return html`<section aria-labelledby="created-title">
      <h2 id="created-title" tabindex="-1">${t.msg("created", { number: created.ticket.number })}</h2>
      <p>${t.msg("createdIntro")}</p>
      <p class="notice">${this.expectation(created.ticket)}</p>
      ${link
        ? html`<div class="notice"><h3>${t.msg("guestLinkTitle")}</h3><p class="link">${link}</p><p class="hint">${t.msg("guestLinkHint")}</p>
            <button part="button" @click=${() => void navigator.clipboard?.writeText(link).then(() => this.announce(t.msg("copied")))}>${t.msg("copy")}</button></div>`
        : nothing}
      <button part="button primary" class="primary" @click=${() => void this.openTicket(created.ticket.id)}>${t.msg("viewTicket")}</button>
    </section>`;
  }
}
