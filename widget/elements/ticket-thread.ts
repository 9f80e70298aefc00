import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { act, problemText } from "../act";
import type { ConsoleText } from "../console/text";
import { EdgedeskReplySentEvent } from "../events";
import { fill, type Locale } from "../i18n";
import { keptKey } from "../idempotency";
import { enThread, type ThreadCatalogue, type ThreadKey } from "../locales/en-thread";
import { clearDraft, loadDraft, type Place, type Result, type Session, saveDraft } from "../session";
import type { MessageView, TicketDetail, TicketView } from "../types";
import { attachmentList } from "./attachment-list";
import "./attachment-picker";
import { styles as attachmentStyles } from "./attachment-picker.styles";
import { counter, MESSAGE_MAX, noticeAt } from "./notice";
import { theme } from "./theme.styles";
import { expectation, statusBadge } from "./ticket-status";
import "./ticket-status-panel";
import { styles } from "./ticket-thread.styles";
import * as staffView from "./ticket-thread-staff";

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
 * @prop {ConsoleText | undefined} staff - Staff mode (the agent console), with the console's strings: internal notes
 *   and notes in the reply box, every change in the history with its reason, helpful counts, reply-and-set-status,
 *   and a reply sent over a change the agent has not seen asks first. Unset: the customer's thread
 *
 * @fires {EdgedeskReplySentEvent} edgedesk-reply-sent - A reply was sent; `detail.ticketId`, `detail.messageId`. Bubbles and is composed
 * @fires {CustomEvent<void>} edgedesk-back - The person asked to go back to the list. For the parent: does not bubble
 * @fires {CustomEvent<{ ticket: TicketDetail }>} edgedesk-ticket-loaded - The ticket was (re)loaded, e.g. after a reply. For the parent: does not bubble
 * @fires {CustomEvent<void>} edgedesk-typing - Staff mode: the agent typed in the reply box. For the parent: does not bubble
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
 * @cssproperty --edgedesk-border - Borders of cards and buttons
 * @cssproperty --edgedesk-input-border - Borders of the reply box
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
    staff: { attribute: false },
    text: { state: true },
    mode: { state: true },
    afterSend: { state: true },
    conflict: { state: true },
    replyError: { state: true },
    busy: { state: true },
  };

  declare session: Session;
  declare ticketId: string | undefined;
  declare ticket: TicketDetail | undefined;
  declare staff: ConsoleText | undefined;
  declare text: ThreadCatalogue | undefined;
  declare replyError: string;
  declare busy: boolean;
  declare mode: staffView.ReplyMode;
  declare afterSend: staffView.ReplyAfter;
  /** Staff mode: what changed since the agent's view was read, when a send was refused for it. */
  declare conflict: string;
  /** Focus was asked for before the heading was there (the ticket or the strings still on their way). */
  #wantsFocus = false;
  /** Each reply draft's Idempotency-Key, also when storage keeps nothing: by where its draft is kept. */
  #sendKeys = new Map<string, string>();

  constructor() {
    super();
    this.replyError = "";
    this.busy = false;
    this.mode = "reply";
    this.afterSend = "answered";
    this.conflict = "";
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

  /** Staff mode: starts a reply or an internal note, with focus in the reply box. */
  compose(mode: staffView.ReplyMode): void {
    this.mode = mode;
    void this.updateComplete.then(() => this.renderRoot.querySelector("textarea")?.focus());
  }

  /** Staff mode: puts `text` (e.g. a canned reply) into the reply box, after what is there, for editing. */
  insertText(text: string): void {
    const textarea = this.renderRoot.querySelector("textarea");
    if (!textarea || !this.ticket) return;
    textarea.value = textarea.value.trim() ? `${textarea.value.trimEnd()}\n\n${text}` : text;
    saveDraft(this.#replyKey(this.ticket.id), textarea.value);
    this.#sendKey(this.ticket.id);
    textarea.focus();
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

  /** The reply draft's Idempotency-Key (see `keptKey`); `renew`: for a draft to be posted as a new reply. */
  #sendKey(ticketId: string, renew = false): string {
    return keptKey(this.#sendKeys, this.#sendKeyPlace(ticketId), renew);
  }

  #sendKeyPlace(ticketId: string): string {
    return `${this.#replyKey(ticketId)}:idempotency-key`;
  }

  /** A request through the session, with the thread's buttons disabled meanwhile. */
  async #request<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { retry?: () => void; headers?: Record<string, string>; at?: Place } = {},
  ): Promise<Result<T>> {
    this.busy = true;
    // Staff see a failure at the reply box (act); customers in the widget's notice, or at `at`.
    const result = this.staff
      ? await act<T>(this.session, this, method, path, body, options.headers)
      : await this.session.call<T>(method, path, body, options);
    this.busy = false;
    return result;
  }

  /** Loads (or, after a change, reloads) the ticket; a first load offers a retry when it fails. */
  async #load(id: string, first = false): Promise<void> {
    const detail = await this.#request<{ ticket: TicketDetail }>(
      "GET",
      `/tickets/${encodeURIComponent(id)}`,
      undefined,
      first ? { retry: () => void this.#load(id, true) } : {},
    );
    if (!detail.ok) return;
    this.ticket = detail.value.ticket;
    this.dispatchEvent(new CustomEvent("edgedesk-ticket-loaded", { detail: { ticket: detail.value.ticket } }));
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
    const at = { view: this, key: "reply" };
    const sent = await this.#request<{ message: { id: string }; ticket: TicketView }>(
      "POST",
      `/tickets/${encodeURIComponent(ticket.id)}/messages`,
      {
        body,
        ...(attachmentIds.length ? { attachmentIds } : {}),
        ...(this.staff ? staffView.staffBody(this.mode, this.afterSend, ticket, form) : {}),
      },
      {
        headers: { "Idempotency-Key": this.#sendKey(ticket.id) },
        retry: () => form.requestSubmit(),
        at,
      },
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
      if (this.staff && sent.problem.code === "changed_meanwhile") {
        // Nothing was written: show what changed, and send only when the agent says so (a new
        // key, for the body now carries the newer version).
        this.#sendKey(ticket.id, true);
        await this.#load(ticket.id);
        this.conflict = this.staff.msg("changedMeanwhile", { detail: sent.problem.detail });
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>("#send-anyway")?.focus();
        return;
      }
      // Refused attachment ids are shown at their files by the picker.
      const errors = sent.problem.errors;
      const left = files ? files.refuse(errors) : errors;
      this.replyError =
        left[0]?.message ?? (this.staff && !errors.length ? problemText(this.session, sent.problem) : "");
      if (this.staff && this.replyError) textarea.focus();
      return;
    }
    this.replyError = "";
    this.conflict = "";
    files?.clear();
    clearDraft(this.#replyKey(ticket.id));
    clearDraft(this.#sendKeyPlace(ticket.id));
    this.#sendKeys.delete(this.#sendKeyPlace(ticket.id));
    textarea.value = "";
    this.dispatchEvent(new EdgedeskReplySentEvent(ticket.id, sent.value.message.id));
    await this.#load(ticket.id);
    this.session.confirm(this.staff && this.mode === "note" ? this.staff.msg("noteAdded") : this.#msg("replySent"), at);
  }

  /** Close, re-open, a vote: a failure with Retry, or once reloaded a confirmation, at place `key`. */
  async #change<T>(ticket: TicketDetail, key: string, req: [string, string, unknown], said: (v: T) => string) {
    const at = { view: this, key };
    const done = await this.#request<T>(...req, { retry: () => void this.#change(ticket, key, req, said), at });
    if (!done.ok) return;
    await this.#load(ticket.id);
    this.session.confirm(said(done.value), at);
  }

  #setStatus(ticket: TicketDetail, status: "open" | "closed"): Promise<void> {
    const req: [string, string, unknown] = ["PATCH", `/tickets/${encodeURIComponent(ticket.id)}`, { status }];
    return this.#change<{ ticket: TicketView }>(ticket, "reply", req, (v) =>
      this.#msg("statusChanged", { status: this.session.t.msg(`status_${v.ticket.status}`) }),
    );
  }

  #vote(ticket: TicketDetail, message: MessageView, helpful: boolean): Promise<void> {
    const req: [string, string, unknown] = [
      "POST",
      `/messages/${encodeURIComponent(message.id)}/feedback`,
      { helpful },
    ];
    return this.#change(ticket, `vote-${message.id}`, req, () => this.#msg("voteSaved"));
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
    return html`<article part="message" class="message ${m.author.kind} ${m.internal ? "note" : ""}" aria-label=${who}>
      <div class="who"><strong>${who}</strong><time datetime=${m.createdAt}>${t.dateTime(m.createdAt)}</time></div>
      ${m.internal ? html`<p class="hint">${this.#msg("internalNote")}</p>` : nothing}
      <div class="body">${m.body}</div>
      ${m.attachments?.length ? attachmentList(m.attachments, this.#msg("attachments"), t.locale) : nothing}
      ${
        this.staff
          ? staffView.feedbackCounts(this.staff, m)
          : m.feedback && !m.internal
            ? html`<div class="vote" role="group" aria-label=${this.#msg("helpfulQuestion")}>
            <span>${this.#msg("helpfulQuestion")}</span>
            <button part="button" aria-pressed=${myVote === true ? "true" : "false"} @click=${() => void this.#vote(ticket, m, true)}>${t.msg("yes")}</button>
            <button part="button" aria-pressed=${myVote === false ? "true" : "false"} @click=${() => void this.#vote(ticket, m, false)}>${t.msg("no")}</button>
          </div>${noticeAt(this.session, { view: this, key: `vote-${m.id}` })}`
            : nothing
      }
    </article>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const ticket = this.ticket;
    if (!ticket || !this.text) return nothing;
    const t = this.session.t;
    const staff = this.staff;
    const draft = loadDraft<string>(this.#replyKey(ticket.id)) ?? "";
    const closed = ticket.status === "closed";
    const closedHint = closed && !staff;
    const note = staff && this.mode === "note";
    // What the reply box holds (the draft, before it is drawn), for its counter.
    const typed = this.renderRoot.querySelector?.("textarea")?.value ?? draft;
    const [countId, count] = counter(t, "reply-count", typed.length, MESSAGE_MAX);
    return html`<section aria-labelledby="thread-title">
      ${/* a guest, here by the ticket's key, has no list */ this.session.guest && !staff ? nothing : html`<p><button part="button" @click=${() => this.dispatchEvent(new CustomEvent("edgedesk-back"))}>← ${staff ? staff.msg("backToQueue") : this.#msg("back")}</button></p>`}
      <h2 id="thread-title" tabindex="-1">#${ticket.number} · ${ticket.subject}</h2>
      <p class="row">${statusBadge(t, ticket.status)} <span>${t.msg(`priority_${ticket.priority}`)}</span></p>
      ${ticket.status === "open" && ticket.expectedResponse ? html`<p class="notice">${expectation(t, ticket)}</p>` : nothing}
      ${staff ? nothing : html`<edgedesk-ticket-status-panel .session=${this.session} .ticket=${ticket} @edgedesk-still-broken=${() => this.renderRoot.querySelector("textarea")?.focus()} @edgedesk-ticket-changed=${() => void this.#load(ticket.id)}></edgedesk-ticket-status-panel>`}
      ${ticket.messages.map((m) => this.#message(ticket, m))}
      <details ?open=${!!staff}>
        <summary>${this.#msg("history")}</summary>
        <ul class="guide">
          ${
            staff
              ? staffView.staffHistory(t, staff, ticket.history)
              : ticket.history
                  .filter((h) => h.field === "status")
                  .map(
                    (h) => html`<li><time datetime=${h.createdAt}>${t.dateTime(h.createdAt)}</time> ·
              ${this.#msg("historyEntry", { from: h.from ? t.msg(`status_${h.from as "open"}`) : "—", to: h.to ? t.msg(`status_${h.to as "open"}`) : "—", reason: h.reason })}</li>`,
                  )
          }
        </ul>
      </details>
      <form novalidate @submit=${(e: Event) => {
        e.preventDefault();
        void this.#send(ticket, e.target as HTMLFormElement);
      }}>
        ${staff ? staffView.staffChoices(staff, this.mode, this.afterSend, (c) => Object.assign(this, c)) : nothing}
        <div class="field">
          <label for="reply">${staff ? staff.msg(note ? "noteLabel" : "replyLabel") : this.#msg("reply")}</label>
          ${closedHint ? html`<p class="hint" id="reply-hint">${this.#msg("replyClosedHint")}</p>` : nothing}
          <textarea part="input" id="reply" class=${note ? "note" : ""} .value=${draft} aria-invalid=${this.replyError ? "true" : "false"}
            aria-describedby=${[closedHint ? "reply-hint" : "", this.replyError ? "reply-error" : "", countId].filter(Boolean).join(" ")}
            @input=${(e: Event) => {
              const value = (e.target as HTMLTextAreaElement).value;
              this.requestUpdate();
              saveDraft(this.#replyKey(ticket.id), value);
              this.#sendKey(ticket.id);
              if (staff) this.dispatchEvent(new CustomEvent("edgedesk-typing"));
            }}></textarea>
          ${count}
          ${this.replyError ? html`<p class="error" id="reply-error">${this.replyError}</p>` : nothing}
        </div>
        <edgedesk-attachments .session=${this.session} .draft=${`${this.#replyKey(ticket.id)}:files`} .ticket=${ticket.id}></edgedesk-attachments>
        ${
          this.conflict
            ? html`<p class="error" id="conflict">${this.conflict}</p>
              <div class="row"><button part="button primary" class="primary" id="send-anyway" type="submit" aria-describedby="conflict" ?disabled=${this.busy}>${staff?.msg("sendAnyway")}</button></div>`
            : html`<div class="row">
          <button part="button primary" class="primary" type="submit" ?disabled=${this.busy}>${staff ? staffView.sendLabel(staff, this.mode, this.afterSend) : this.#msg("sendReply")}</button>
          ${
            staff
              ? nothing
              : closed
                ? html`<button part="button" type="button" @click=${() => void this.#setStatus(ticket, "open")}>${this.#msg("reopenTicket")}</button>`
                : html`<button part="button" type="button" @click=${() => void this.#setStatus(ticket, "closed")}>${this.#msg("closeTicket")}</button>`
          }
        </div>`
        }
        ${noticeAt(this.session, { view: this, key: "reply" })}
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
