import { html, LitElement, nothing, type TemplateResult } from "lit";
import { acceptedAnswers } from "../../worker/tickets/fields";
import { EdgedeskTicketCreatedEvent } from "../events";
import { checkForm, type FormValues } from "../form-check";
import { clearDraft, loadDraft, type Session, saveDraft } from "../session";
import type { Department, Priority, PublicConfig, TicketView } from "../types";
import { counter, MESSAGE_MAX, noticeAt, SUBJECT_MAX } from "./notice";
import { statusNotice } from "./status-notice";
import { adoptStyles } from "./theme.styles";
import { styles } from "./ticket-form.styles";

interface FormDraft {
  values: FormValues;
  /** Chosen when the draft starts, so a retried send can never file two tickets. */
  idempotencyKey: string;
}

/**
 * The new-ticket form: department and its fields, subject, message with the tenant's guidance,
 * attachments, priority, a secret kept apart; a guest gives a name and an address instead of
 * attaching. Checked as the server checks before sending; the server's field errors are shown at
 * their fields. Kept as a draft (per person, in localStorage) until it is sent, and sent with an
 * Idempotency-Key, so a retry after a lost answer files the ticket once. Shows itself once the
 * session has its config. It renders in the shadow root of <edgedesk-tickets>, not one of its
 * own, so it shares that element's stylesheet and parts, and adds its own (ticket-form.styles.ts)
 * there when it is connected: it is loaded on demand, so a customer's first view (their list)
 * does not carry it.
 *
 * @internal Part of <edgedesk-tickets>; not for pages.
 *
 * @prop {Session} session - The session of the element it is in: client, strings, config, who is signed in
 *
 * @fires {EdgedeskTicketCreatedEvent} edgedesk-ticket-created - A ticket was filed; `detail.ticket`. Bubbles and is composed
 */
export class EdgedeskTicketForm extends LitElement {
  static override properties = {
    session: { attribute: false },
    values: { state: true },
    errors: { state: true },
    sending: { state: true },
  };

  declare session: Session;
  declare values: FormValues;
  declare errors: Record<string, string>;
  declare sending: boolean;

  #idempotencyKey: string = crypto.randomUUID();
  /**
   * Whose draft was restored (its key; it names the tenant and the person): until the draft of
   * whoever the session is for now is restored, nothing is saved over it.
   */
  #restoredFor: string | undefined;
  /** What prefill() asked for before the draft was restored: it wins over the draft. */
  #prefilled: FormValues = {};
  /** The message guidance shows open on the person's first visit to the form (per tenant), then collapsed. */
  #guidanceOpen = true;
  #visitCounted = false;

  constructor() {
    super();
    this.values = {};
    this.errors = {};
    this.sending = false;
  }

  /** Fills in what the panel knows (e.g. the site being viewed); it wins over a kept draft. */
  prefill(prefill: { department?: string; subject?: string; serviceId?: string }): void {
    const values: FormValues = { ...this.values };
    if (prefill.department) values.department = prefill.department;
    if (prefill.subject) values.subject = prefill.subject;
    if (prefill.serviceId) values.serviceId = prefill.serviceId;
    if (this.#restoredFor !== this.#draftKey) this.#prefilled = { ...this.#prefilled, ...values };
    this.values = values;
    this.#persist();
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles(this.getRootNode(), styles);
    // A new visit: the guidance's state is read again at the next render (the session may come later).
    this.#visitCounted = false;
    if (this.session) this.requestUpdate();
  }

  protected override willUpdate(): void {
    if (this.session.config && this.#restoredFor !== this.#draftKey) this.#restoreDraft(this.session.config);
    if (!this.#visitCounted) {
      // Open the first time the person sees the form for this tenant, collapsed after.
      const read = `edgedesk:guidance-read:${this.session.tenant}`;
      this.#guidanceOpen = !loadDraft<boolean>(read);
      saveDraft(read, true);
      this.#visitCounted = true;
    }
  }

  // ---- the draft ----------------------------------------------------------------------------

  get #draftKey(): string {
    const person = this.session.person;
    return `edgedesk:draft:${this.session.tenant}:${person ? (person.sub ?? "") : "guest"}`;
  }

  /** The config's defaults, then the draft, then what the panel prefilled. */
  #restoreDraft(config: PublicConfig): void {
    const draft = loadDraft<FormDraft>(this.#draftKey);
    this.values = {
      department: config.departments[0]?.id ?? "",
      priority: config.defaultPriority,
      ...draft?.values,
      ...this.#prefilled,
    };
    this.#idempotencyKey = draft?.idempotencyKey ?? crypto.randomUUID();
    this.#restoredFor = this.#draftKey;
    if (Object.keys(this.#prefilled).length) this.#persist();
  }

  #persist(): void {
    if (this.#restoredFor !== this.#draftKey) return;
    saveDraft(this.#draftKey, { values: this.values, idempotencyKey: this.#idempotencyKey } satisfies FormDraft);
  }

  #setValue(key: string, value: string | boolean): void {
    this.values = { ...this.values, [key]: value };
    if (this.errors[key]) {
      const { [key]: _, ...rest } = this.errors;
      this.errors = rest;
    }
    this.#persist();
  }

  // ---- sending ------------------------------------------------------------------------------

  get #department(): Department | undefined {
    return this.session.config?.departments.find((d) => d.id === this.values.department);
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    const session = this.session;
    const guest = session.guest;
    this.errors = checkForm(this.values, this.#department, guest, session.t);
    if (Object.keys(this.errors).length) return this.#focusFirstError();

    // Ids of the finished uploads; null while some are still uploading (the picker says so). A
    // picker whose module has not arrived yet has no take(), and no files either.
    const files = this.renderRoot.querySelector("edgedesk-attachments");
    const attachmentIds = files?.take ? files.take() : [];
    if (!attachmentIds) return;

    const v = this.values;
    const fields: Record<string, string | boolean> = {};
    for (const f of this.#department?.fields ?? []) {
      const value = v[`fields.${f.id}`];
      if (value !== undefined && value !== "") fields[f.id] = value;
    }
    // What is undefined is left out of the JSON.
    const body = {
      department: v.department,
      subject: String(v.subject ?? "").trim(),
      message: String(v.message ?? "").trim(),
      priority: v.priority,
      fields,
      serviceId: v.serviceId || undefined,
      sensitive: v.sensitive || undefined,
      attachmentIds: attachmentIds.length ? attachmentIds : undefined,
      // The private link mailed to a guest opens this page (the server accepts only the panel's own origins).
      guest: guest
        ? {
            name: String(v["guest.name"] ?? "").trim(),
            email: String(v["guest.email"] ?? "").trim(),
            returnUrl: location.href.split("#")[0],
          }
        : undefined,
    };
    this.sending = true;
    // A failure shows beside the send button, where the person looks.
    const at = { view: this, key: "submit" };
    const result = await session.call<{ ticket: TicketView; accessKey?: string }>("POST", "/tickets", body, {
      headers: { "Idempotency-Key": this.#idempotencyKey },
      retry: () => void this.#submit(new Event("submit")),
      at,
    });
    this.sending = false;
    if (!result.ok) {
      // The server's field errors, shown at their fields; anything else beside the button.
      // Refused attachment ids are shown at their files by the picker.
      const problem = result.problem;
      const fieldErrors = files?.refuse ? files.refuse(problem.errors) : problem.errors;
      if (problem.code === "idempotency_key_reused") {
        // An earlier version of this draft was filed (its answer was lost) and the text has changed
        // since. Say so, keep the text, and let a deliberate second send file it as a new ticket.
        this.#idempotencyKey = crypto.randomUUID();
        this.#persist();
        session.report(session.t.msg("alreadyFiled"), undefined, at);
      } else if (fieldErrors.length) {
        this.errors = Object.fromEntries(fieldErrors.map((e) => [e.path, e.message]));
        this.#focusFirstError();
      }
      return;
    }
    clearDraft(this.#draftKey);
    files?.clear?.();
    this.#idempotencyKey = crypto.randomUUID();
    this.values = { department: v.department ?? "", priority: session.config?.defaultPriority ?? "medium" };
    // From now on this guest's requests carry the key that opens the new ticket.
    if (result.value.accessKey) session.guestKey = result.value.accessKey;
    session.announce(session.t.msg("created", { number: result.value.ticket.number }));
    this.dispatchEvent(new EdgedeskTicketCreatedEvent(result.value.ticket));
  }

  #focusFirstError(): void {
    this.session.announce(this.session.t.msg("fixErrors"));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  // ---- rendering ----------------------------------------------------------------------------

  #fieldError(key: string): TemplateResult | typeof nothing {
    const error = this.errors[key];
    return error ? html`<p class="error" id="err-${key}">${error}</p>` : nothing;
  }

  #invalid(key: string): "true" | "false" {
    return this.errors[key] ? "true" : "false";
  }

  #describedBy(key: string, hint?: string, count = ""): string {
    return [hint, this.errors[key] ? `err-${key}` : "", count].filter(Boolean).join(" ");
  }

  /** Characters left of `max` in field `key`, from 80% on: its id and its line. */
  #counter(key: string, max: number): ReturnType<typeof counter> {
    return counter(this.session.t, `count-${key}`, String(this.values[key] ?? "").length, max);
  }

  #textInput(
    key: string,
    label: string,
    options: { hint?: string; type?: string; autocomplete?: string; max?: number } = {},
  ): TemplateResult {
    const hintId = options.hint ? `hint-${key}` : undefined;
    const [countId, count] = options.max ? this.#counter(key, options.max) : ["", nothing];
    return html`<div class="field">
      <label for=${key}>${label}</label>
      ${options.hint ? html`<p class="hint" id=${hintId}>${options.hint}</p>` : nothing}
      <input part="input" id=${key} name=${key} type=${options.type ?? "text"} .value=${String(this.values[key] ?? "")}
        autocomplete=${options.autocomplete ?? "off"}
        aria-invalid=${this.#invalid(key)} aria-describedby=${this.#describedBy(key, hintId, countId)}
        @input=${(e: Event) => this.#setValue(key, (e.target as HTMLInputElement).value)}>
      ${count}${this.#fieldError(key)}
    </div>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const c = this.session.config;
    if (!c) return nothing;
    const t = this.session.t;
    const dept = this.#department;
    const services = this.session.person?.services ?? [];
    // A guest has no access key before filing, and uploads need one.
    const guest = this.session.guest;
    const messageCount = this.#counter("message", MESSAGE_MAX);
    return html`<section aria-labelledby="form-title">
      <h2 id="form-title" tabindex="-1">${t.msg("newTicket")}</h2>
      ${statusNotice(c, t)}
      <form novalidate @submit=${(e: Event) => void this.#submit(e)}>
        ${
          guest
            ? html`<p class="notice">${t.msg("guestIntro")}</p>
              ${this.#textInput("guest.name", t.msg("guestName"), { autocomplete: "name" })}
              ${this.#textInput("guest.email", t.msg("guestEmail"), { type: "email", autocomplete: "email" })}`
            : nothing
        }
        <div class="field">
          <label for="department">${t.msg("department")}</label>
          <select part="input" id="department" aria-describedby="hint-department ${this.errors.department ? "err-department" : ""}"
            aria-invalid=${this.#invalid("department")}
            @change=${(e: Event) => this.#setValue("department", (e.target as HTMLSelectElement).value)}>
            ${c.departments.map((d) => html`<option value=${d.id} ?selected=${d.id === this.values.department}>${t.tenant(d.name)}</option>`)}
          </select>
          <p class="hint" id="hint-department">${dept ? t.tenant(dept.description) : ""}</p>
          ${this.#fieldError("department")}
        </div>
        ${(dept?.fields ?? []).map((f) => {
          const key = `fields.${f.id}`;
          if (f.kind === "yesno") {
            return html`<fieldset class="field choices" aria-describedby=${this.#describedBy(key, `hint-${key}`)}>
              <legend class="label">${t.tenant(f.label)}</legend>
              <p class="hint" id="hint-${key}">${[f.help, f.mustBeYesReason]
                .filter(Boolean)
                .map((s) => t.tenant(s!))
                .join(" ")}</p>
              <div class="row">
                ${acceptedAnswers(f).map((answer, _, answers) =>
                  // The one answer the form accepts is a box to tick; two are a choice.
                  answers.length === 1
                    ? html`<label class="choice"><input type="checkbox" name=${key} .checked=${this.values[key] === answer}
                    aria-invalid=${this.#invalid(key)} @change=${(e: Event) => this.#setValue(key, (e.target as HTMLInputElement).checked ? answer : "")}>
                    ${answer ? t.msg("yes") : t.msg("no")}</label>`
                    : html`<label class="choice"><input type="radio" name=${key} .checked=${this.values[key] === answer}
                    aria-invalid=${this.#invalid(key)} @change=${() => this.#setValue(key, answer)}>
                    ${answer ? t.msg("yes") : t.msg("no")}</label>`,
                )}
              </div>
              ${this.#fieldError(key)}
            </fieldset>`;
          }
          if (f.kind === "select") {
            return html`<div class="field"><label for=${key}>${t.tenant(f.label)}</label>
              <select part="input" id=${key} aria-invalid=${this.#invalid(key)} aria-describedby=${this.#describedBy(key)}
                @change=${(e: Event) => this.#setValue(key, (e.target as HTMLSelectElement).value)}>
                <option value=""></option>
                ${f.options.map((o) => html`<option value=${o.value} ?selected=${this.values[key] === o.value}>${t.tenant(o.label)}</option>`)}
              </select>${this.#fieldError(key)}</div>`;
          }
          return this.#textInput(key, t.tenant(f.label), f.help ? { hint: t.tenant(f.help) } : {});
        })}
        ${this.#textInput("subject", t.msg("subject"), { hint: t.msg("subjectHint"), max: SUBJECT_MAX })}
        ${
          services.length
            ? html`<div class="field"><label for="serviceId">${t.msg("service")}</label>
              <select part="input" id="serviceId" @change=${(e: Event) => this.#setValue("serviceId", (e.target as HTMLSelectElement).value)}>
                <option value="">${t.msg("serviceNone")}</option>
                ${services.map((s) => html`<option value=${s.id} ?selected=${this.values.serviceId === s.id}>${s.label}</option>`)}
              </select></div>`
            : nothing
        }
        <div class="field">
          <label for="message">${t.msg("message")}</label>
          <details class="hint" id="hint-message" ?open=${this.#guidanceOpen}><summary>${t.msg("messageHint")}</summary>
            <ul class="guide">${c.guidance.message.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
          </details>
          <textarea part="input" id="message" .value=${String(this.values.message ?? "")}
            aria-invalid=${this.#invalid("message")} aria-describedby=${this.#describedBy("message", "hint-message", messageCount[0])}
            @input=${(e: Event) => this.#setValue("message", (e.target as HTMLTextAreaElement).value)}></textarea>
          ${messageCount[1]}${this.#fieldError("message")}
        </div>
        ${guest ? html`<p class="hint">${t.msg("attachAfterFiling")}</p>` : this.#attachments()}
        <fieldset class="field choices">
          <legend class="label">${t.msg("priority")}</legend>
          ${c.priorities.map(
            (
              p,
            ) => html`<label class="choice"><input type="radio" name="priority" .checked=${this.values.priority === p.id}
              @change=${() => this.#setValue("priority", p.id)}>
              <span><strong>${t.msg(`priority_${p.id}`)}</strong>${t.msg(`priorityMeaning_${p.id}`)}</span></label>`,
          )}
          ${guest && !c.guestsCanPage ? html`<p class="hint">${t.msg("guestsWaitForOpening")}</p>` : nothing}
          ${
            this.values.priority === "urgent" || c.emergencyPriorities.includes(this.values.priority as Priority)
              ? html`<div class="notice" id="emergency-definition"><strong>${t.msg("emergenciesTitle")}</strong>
              <ul class="guide">${c.guidance.emergencies.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul></div>`
              : nothing
          }
        </fieldset>
        ${this.#textInput("sensitive", t.msg("sensitive"), { type: "password", hint: t.msg("sensitiveHint"), autocomplete: "new-password" })}
        <details>
          <summary>${t.msg("qualifiesTitle")}</summary>
          <h3>${t.msg("qualifies")}</h3><ul class="guide">${c.guidance.qualifies.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
          <h3>${t.msg("notQualifies")}</h3><ul class="guide">${c.guidance.doesNotQualify.map((g) => html`<li>${t.tenant(g)}</li>`)}</ul>
        </details>
        <p class="hint">${t.msg("draftKept")}</p>
        <button part="button primary" class="primary" type="submit" ?disabled=${this.sending}>${this.sending ? t.msg("sending") : t.msg("submit")}</button>
        ${noticeAt(this.session, { view: this, key: "submit" })}
      </form>
    </section>`;
  }

  /** The attachment picker; its module is loaded the first time the form is shown to someone signed in. */
  #attachments(): TemplateResult {
    void import("./attachment-picker");
    return html`<edgedesk-attachments .session=${this.session} .draft=${`${this.#draftKey}:files`}></edgedesk-attachments>`;
  }
}

if (!customElements.get("edgedesk-ticket-form")) customElements.define("edgedesk-ticket-form", EdgedeskTicketForm);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-ticket-form": EdgedeskTicketForm;
  }
}
