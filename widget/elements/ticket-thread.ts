import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { EdgedeskReplySentEvent } from "../events";
import { fill, type Locale } from "../i18n";
import { enThread, type ThreadCatalogue, type ThreadKey } from "../locales/en-thread";
import { clearDraft, loadDraft, type Result, type Session, saveDraft } from "../session";
import type { MessageView, TicketDetail, TicketView } from "../types";
import { attachmentList } from "./attachment-list";
import "./attachment-picker";
import { styles as attachmentStyles } from "./attachment-picker.styles";
import { theme } from "./theme.styles";
import { expectation, statusBadge } from "./ticket-status";
import { styles } from "./ticket-thread.styles";

const PARTS = "button, primary, input, badge, message, attachments, dropzone, attachment, thumbnail";

/**
 * A ticket's thread: its messages with their files and, on staff answers, a helpful/not helpful
 * vote; the status history; the reply box with attachments; close and re-open. It needs only a
 * session and a ticket, so any element can show it: set `ticket-id` and it loads the ticket, or
 * hand it `.ticket` when you have it already. Loaded on demand, with its strings. Its parts are
 * forwarded to the tree it is in (`exportparts`, unless the page sets it), so that a page's
 * `edgedesk-tickets::part(message)` reaches them.
 *
 * @prop {Session} session - The session of the element that shows the thread: client, strings, config
 * @attr ticket-id - The ticket to show; loaded when it changes
 * @prop {TicketDetail | undefined} ticket - The ticket shown; set it to show one already loaded
 *
 * @fires {EdgedeskReplySentEvent} edgedesk-reply-sent - A reply was sent; `detail.ticketId`, `detail.messageId`. Bubbles and is composed
 * @fires {CustomEvent<void>} edgedesk-back - The person asked to go back to the list. For the parent: does not bubble
 *
 * @csspart button - Every button
 * @csspart primary - The send button
 * @csspart input - The reply box
 * @csspart badge - The status badge
 * @csspart message - A message of the thread
 * @csspart attachments - The attachment picker: rules, drop zone, files
 * @csspart dropzone - The picker's drop zone, also the button that opens the file chooser
 * @csspart attachment - A file being attached, or a message's file
 * @csspart thumbnail - An image attachment's thumbnail
 *
 * @cssproperty --edgedesk-accent - Accent (buttons, focus)
 * @cssproperty --edgedesk-on-accent - Text on the accent colour
 * @cssproperty --edgedesk-background - Background
 * @cssproperty --edgedesk-surface - Background of staff messages and the history
 * @cssproperty --edgedesk-foreground - Text colour
 * @cssproperty --edgedesk-muted - Secondary text
 * @cssproperty --edgedesk-border - Borders
 * @cssproperty --edgedesk-danger - Errors
 * @cssproperty --edgedesk-radius - Corner radius
 * @cssproperty --edgedesk-font - Font family
 * @cssproperty --edgedesk-focus - Focus ring
 */
export class EdgedeskTicketThread extends LitElement {
  static override styles = [theme, styles, attachmentStyles];
  static override properties = {
    session: { attribute: false },
    ticketId: { attribute: "ticket-id" },
    ticket: { attribute: false },
    text: { state: true },
    replyError: { state: true },
    busy: { state: true },
  };

  declare session: Session;
  declare ticketId: string | undefined;
  declare ticket: TicketDetail | undefined;
  declare text: ThreadCatalogue | undefined;
  declare replyError: string;
  declare busy: boolean;
  /** Focus was asked for before the heading was there (the ticket or the strings still on their way). */
  #wantsFocus = false;
  /** Each reply draft's Idempotency-Key, also when storage keeps nothing: by where its draft is kept. */
  #sendKeys = new Map<string, string>();

  constructor() {
    super();
    this.replyError = "";
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute("exportparts")) this.setAttribute("exportparts", PARTS);
  }

  /** Moves focus to the heading, as a newly shown view does; once it is there, if it is not yet. */
  override focus(): void {
    this.#wantsFocus = true;
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("session")) void catalogue(this.session.t.locale).then((text) => (this.text = text));
    if (changed.has("ticketId") && this.ticketId && this.ticketId !== this.ticket?.id)
      void this.#load(this.ticketId, true);
  }

  protected override updated(): void {
    const heading = this.#wantsFocus && this.renderRoot.querySelector("h2");
    if (heading) {
      this.#wantsFocus = false;
      heading.focus();
    }
  }

  #msg(key: ThreadKey, params: Record<string, string | number> = {}): string {
    return fill((this.text ?? enThread)[key], params);
  }

  #replyKey(ticketId: string): string {
    return `edgedesk:reply:${this.session.tenant}:${ticketId}`;
  }

  /**
   * The reply draft's Idempotency-Key: chosen when the draft starts and kept with it (a reload
   * too) until it is sent, so that sending again after a lost answer never posts it twice.
   * `renew` starts a new one, for a draft that is to be posted as a new reply.
   */
  #sendKey(ticketId: string, renew = false): string {
    const where = this.#sendKeyPlace(ticketId);
    let key = renew ? null : (this.#sendKeys.get(where) ?? loadDraft<string>(where));
    if (!key) {
      key = crypto.randomUUID();
      saveDraft(where, key);
    }
    this.#sendKeys.set(where, key);
    return key;
  }

  #sendKeyPlace(ticketId: string): string {
    return `${this.#replyKey(ticketId)}:idempotency-key`;
  }

  /** A request through the session, with the thread's buttons disabled meanwhile. */
  async #request<T>(
    method: string,
    path: string,
    body?: unknown,
    retry?: () => void,
    headers?: Record<string, string>,
  ): Promise<Result<T>> {
    this.busy = true;
    const result = await this.session.call<T>(method, path, body, { retry, ...(headers && { headers }) });
    this.busy = false;
    return result;
  }

  /** Loads (or, after a change, reloads) the ticket; a first load offers a retry when it fails. */
  async #load(id: string, first = false): Promise<void> {
    const detail = await this.#request<{ ticket: TicketDetail }>(
      "GET",
      `/tickets/${encodeURIComponent(id)}`,
      undefined,
      first ? () => void this.#load(id, true) : undefined,
    );
    if (detail.ok) this.ticket = detail.value.ticket;
  }

  async #send(ticket: TicketDetail, form: HTMLFormElement): Promise<void> {
    const textarea = form.querySelector("textarea")!;
    const body = textarea.value.trim();
    if (!body) {
      this.replyError = this.session.t.msg("required");
      textarea.focus();
      return;
    }
    const files = form.querySelector("edgedesk-attachments");
    const attachmentIds = files ? files.take() : [];
    if (!attachmentIds) return;
    const sent = await this.#request<{ message: { id: string }; ticket: TicketView }>(
      "POST",
      `/tickets/${encodeURIComponent(ticket.id)}/messages`,
      {
        body,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      },
      undefined,
      { "Idempotency-Key": this.#sendKey(ticket.id) },
    );
    if (!sent.ok) {
      if (sent.problem.code === "idempotency_key_reused") {
        // An earlier version of this draft was posted (its answer was lost) and the text has changed
        // since: show it, keep the text, and let a deliberate second send post it as a new reply.
        this.#sendKey(ticket.id, true);
        this.replyError = this.#msg("alreadySent");
        await this.#load(ticket.id);
        return;
      }
      // Refused attachment ids are shown at their files by the picker.
      const errors = sent.problem.errors;
      this.replyError = (files ? files.refuse(errors) : errors)[0]?.message ?? "";
      return;
    }
    this.replyError = "";
    files?.clear();
    clearDraft(this.#replyKey(ticket.id));
    clearDraft(this.#sendKeyPlace(ticket.id));
    this.#sendKeys.delete(this.#sendKeyPlace(ticket.id));
    textarea.value = "";
    this.dispatchEvent(new EdgedeskReplySentEvent(ticket.id, sent.value.message.id));
    this.session.announce(this.#msg("replySent"));
    await this.#load(ticket.id);
  }

  async #setStatus(ticket: TicketDetail, status: "open" | "closed"): Promise<void> {
    const done = await this.#request<{ ticket: TicketView }>("PATCH", `/tickets/${encodeURIComponent(ticket.id)}`, {
      status,
    });
    if (!done.ok) return;
    this.session.announce(
      this.#msg("statusChanged", { status: this.session.t.msg(`status_${done.value.ticket.status}`) }),
    );
    await this.#load(ticket.id);
  }

  async #vote(ticket: TicketDetail, message: MessageView, helpful: boolean): Promise<void> {
    const done = await this.#request("POST", `/messages/${encodeURIComponent(message.id)}/feedback`, { helpful });
    if (!done.ok) return;
    this.session.announce(this.#msg("voteSaved"));
    await this.#load(ticket.id);
  }

  #message(ticket: TicketDetail, m: MessageView): TemplateResult {
    const t = this.session.t;
    const who =
      m.author.kind === "agent"
        ? `${m.author.name} · ${this.#msg("staff")}`
        : m.author.kind === "system"
          ? this.#msg("system")
          : m.author.name;
    const myVote = m.feedback?.myVote;
    return html`<article part="message" class="message ${m.author.kind}" aria-label=${who}>
      <div class="who"><strong>${who}</strong><time datetime=${m.createdAt}>${t.dateTime(m.createdAt)}</time></div>
      ${m.internal ? html`<p class="hint">${this.#msg("internalNote")}</p>` : nothing}
      <div class="body">${m.body}</div>
      ${m.attachments?.length ? attachmentList(m.attachments, this.#msg("attachments"), t.locale) : nothing}
      ${
        m.feedback && !m.internal
          ? html`<div class="vote" role="group" aria-label=${this.#msg("helpfulQuestion")}>
            <span>${this.#msg("helpfulQuestion")}</span>
            <button part="button" aria-pressed=${myVote === true ? "true" : "false"} @click=${() => void this.#vote(ticket, m, true)}>${t.msg("yes")}</button>
            <button part="button" aria-pressed=${myVote === false ? "true" : "false"} @click=${() => void this.#vote(ticket, m, false)}>${t.msg("no")}</button>
          </div>`
          : nothing
      }
    </article>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const ticket = this.ticket;
    if (!ticket || !this.text) return nothing;
    const t = this.session.t;
    const draft = loadDraft<string>(this.#replyKey(ticket.id)) ?? "";
    const closed = ticket.status === "closed";
    return html`<section aria-labelledby="thread-title">
      <p><button part="button" @click=${() => this.dispatchEvent(new CustomEvent("edgedesk-back"))}>← ${this.#msg("back")}</button></p>
      <h2 id="thread-title" tabindex="-1">#${ticket.number} · ${ticket.subject}</h2>
      <p class="row">${statusBadge(t, ticket.status)} <span>${t.msg(`priority_${ticket.priority}`)}</span></p>
      ${ticket.status === "open" && ticket.expectedResponse ? html`<p class="notice">${expectation(t, ticket)}</p>` : nothing}
      ${ticket.messages.map((m) => this.#message(ticket, m))}
      <details>
        <summary>${this.#msg("history")}</summary>
        <ul class="guide">
          ${ticket.history
            .filter((h) => h.field === "status")
            .map(
              (h) => html`<li><time datetime=${h.createdAt}>${t.dateTime(h.createdAt)}</time> ·
              ${this.#msg("historyEntry", { from: h.from ? t.msg(`status_${h.from as "open"}`) : "—", to: h.to ? t.msg(`status_${h.to as "open"}`) : "—", reason: h.reason })}</li>`,
            )}
        </ul>
      </details>
      <form novalidate @submit=${(e: Event) => {
        e.preventDefault();
        void this.#send(ticket, e.target as HTMLFormElement);
      }}>
        <div class="field">
          <label for="reply">${this.#msg("reply")}</label>
          ${closed ? html`<p class="hint" id="reply-hint">${this.#msg("replyClosedHint")}</p>` : nothing}
          <textarea part="input" id="reply" .value=${draft} aria-invalid=${this.replyError ? "true" : "false"}
            aria-describedby=${[closed ? "reply-hint" : "", this.replyError ? "reply-error" : ""].filter(Boolean).join(" ")}
            @input=${(e: Event) => {
              saveDraft(this.#replyKey(ticket.id), (e.target as HTMLTextAreaElement).value);
              this.#sendKey(ticket.id);
            }}></textarea>
          ${this.replyError ? html`<p class="error" id="reply-error">${this.replyError}</p>` : nothing}
        </div>
        <edgedesk-attachments .session=${this.session} .draft=${`${this.#replyKey(ticket.id)}:files`} .ticket=${ticket.id}></edgedesk-attachments>
        <div class="row">
          <button part="button primary" class="primary" type="submit" ?disabled=${this.busy}>${this.#msg("sendReply")}</button>
          ${
            closed
              ? html`<button part="button" type="button" @click=${() => void this.#setStatus(ticket, "open")}>${this.#msg("reopenTicket")}</button>`
              : html`<button part="button" type="button" @click=${() => void this.#setStatus(ticket, "closed")}>${this.#msg("closeTicket")}</button>`
          }
        </div>
      </form>
    </section>`;
  }
}

async function catalogue(locale: Locale): Promise<ThreadCatalogue> {
  // ru.ts is already loaded for a Russian page (i18n.ts), so this costs no request.
  return locale === "ru" ? (await import("../locales/ru")).ruThread : enThread;
}

if (!customElements.get("edgedesk-ticket-thread"))
  customElements.define("edgedesk-ticket-thread", EdgedeskTicketThread);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-ticket-thread": EdgedeskTicketThread;
  }
}
