import { html, nothing, type TemplateResult } from "lit";
import { clearDraft, loadDraft, saveDraft } from "../drafts";
import { fill, type Locale } from "../i18n";
import { enThread, type ThreadCatalogue, type ThreadKey } from "../locales/en-thread";
import type { MessageView, TicketDetail, TicketView } from "../types";
import { adoptStyles } from "./adopt-styles";
import { attachmentList } from "./attachment-picker";
import { attachmentStyles } from "./attachments.styles";
import type { EdgedeskTickets } from "./edgedesk-tickets";
import { threadStyles } from "./thread.styles";

/** A ticket's thread: messages, votes, reply, close and re-open. Loaded when first needed. */
export class ThreadView {
  private replyError = "";

  /** A thread view for `host`, with its strings in the host's language. */
  static async create(host: EdgedeskTickets): Promise<ThreadView> {
    return new ThreadView(host, await catalogue(host.t.locale));
  }

  private constructor(
    private readonly host: EdgedeskTickets,
    private readonly text: ThreadCatalogue,
  ) {
    adoptStyles(host.renderRoot, threadStyles);
    adoptStyles(host.renderRoot, attachmentStyles);
  }

  private msg(key: ThreadKey, params: Record<string, string | number> = {}): string {
    return fill(this.text[key], params);
  }

  private replyKey(ticketId: string): string {
    return `edgedesk:reply:${this.host.tenant}:${ticketId}`;
  }

  private async refresh(id: string): Promise<void> {
    const detail = await this.host.request<{ ticket: TicketDetail }>("GET", `/tickets/${encodeURIComponent(id)}`);
    if (detail) this.host.thread = detail.ticket;
  }

  private async send(ticket: TicketDetail, form: HTMLFormElement): Promise<void> {
    const textarea = form.querySelector("textarea")!;
    const body = textarea.value.trim();
    const t = this.host.t;
    if (!body) {
      this.replyError = t.msg("required");
      this.host.requestUpdate();
      textarea.focus();
      return;
    }
    const files = form.querySelector("edgedesk-attachments");
    const attachmentIds = files ? files.take() : [];
    if (!attachmentIds) return;
    const sent = await this.host.request<{ message: { id: string }; ticket: TicketView }>("POST", `/tickets/${encodeURIComponent(ticket.id)}/messages`, {
      body,
      ...(attachmentIds.length ? { attachmentIds } : {}),
    });
    if (!sent) {
      // Refused attachment ids are shown at their files by the picker.
      const errors = this.host.lastProblem?.errors ?? [];
      this.replyError = (files ? files.refuse(errors) : errors)[0]?.message ?? "";
      this.host.requestUpdate();
      return;
    }
    this.replyError = "";
    files?.clear();
    clearDraft(this.replyKey(ticket.id));
    textarea.value = "";
    this.host.replySent(ticket.id, sent.message.id);
    this.host.announce(this.msg("replySent"));
    await this.refresh(ticket.id);
  }

  private async setStatus(ticket: TicketDetail, status: "open" | "closed"): Promise<void> {
    const done = await this.host.request<{ ticket: TicketView }>("PATCH", `/tickets/${encodeURIComponent(ticket.id)}`, { status });
    if (!done) return;
    this.host.announce(this.msg("statusChanged", { status: this.host.t.msg(`status_${done.ticket.status}`) }));
    await this.refresh(ticket.id);
  }

  private async vote(ticket: TicketDetail, message: MessageView, helpful: boolean): Promise<void> {
    const done = await this.host.request("POST", `/messages/${encodeURIComponent(message.id)}/feedback`, { helpful });
    if (!done) return;
    this.host.announce(this.msg("voteSaved"));
    await this.refresh(ticket.id);
  }

  private message(ticket: TicketDetail, m: MessageView): TemplateResult {
    const t = this.host.t;
    const who = m.author.kind === "agent" ? `${m.author.name} · ${this.msg("staff")}` : m.author.kind === "system" ? this.msg("system") : m.author.name;
    const myVote = m.feedback?.myVote;
    return html`<article part="message" class="message ${m.author.kind}" aria-label=${who}>
      <div class="who"><strong>${who}</strong><time datetime=${m.createdAt}>${t.dateTime(m.createdAt)}</time></div>
      ${m.internal ? html`<p class="hint">${this.msg("internalNote")}</p>` : nothing}
      <div class="body">${m.body}</div>
      ${m.attachments?.length ? attachmentList(m.attachments, t) : nothing}
      ${m.feedback && !m.internal
        ? html`<div class="vote" role="group" aria-label=${this.msg("helpfulQuestion")}>
            <span>${this.msg("helpfulQuestion")}</span>
            <button part="button" aria-pressed=${myVote === true ? "true" : "false"} @click=${() => void this.vote(ticket, m, true)}>${t.msg("yes")}</button>
            <button part="button" aria-pressed=${myVote === false ? "true" : "false"} @click=${() => void this.vote(ticket, m, false)}>${t.msg("no")}</button>
          </div>`
        : nothing}
    </article>`;
  }

  render(ticket: TicketDetail): TemplateResult {
    const host = this.host;
    const t = host.t;
    const draft = loadDraft<string>(this.replyKey(ticket.id)) ?? "";
    const closed = ticket.status === "closed";
    return html`<section aria-labelledby="thread-title">
      <p><button part="button" @click=${() => host.show("list")}>← ${this.msg("back")}</button></p>
      <h2 id="thread-title" tabindex="-1">#${ticket.number} · ${ticket.subject}</h2>
      <p class="row">${host.badge(ticket.status)} <span>${t.msg(`priority_${ticket.priority}`)}</span></p>
      ${ticket.status === "open" && ticket.expectedResponse ? html`<p class="notice">${host.expectation(ticket)}</p>` : nothing}
      ${ticket.messages.map((m) => this.message(ticket, m))}
      <details>
        <summary>${this.msg("history")}</summary>
        <ul class="guide">
          ${ticket.history.filter((h) => h.field === "status").map(
            (h) => html`<li><time datetime=${h.createdAt}>${t.dateTime(h.createdAt)}</time> ·
              ${this.msg("historyEntry", { from: h.from ? t.msg(`status_${h.from as "open"}`) : "—", to: h.to ? t.msg(`status_${h.to as "open"}`) : "—", reason: h.reason })}</li>`,
          )}
        </ul>
      </details>
      <form novalidate @submit=${(e: Event) => {
        e.preventDefault();
        void this.send(ticket, e.target as HTMLFormElement);
      }}>
        <div class="field">
          <label for="reply">${this.msg("reply")}</label>
          ${closed ? html`<p class="hint" id="reply-hint">${this.msg("replyClosedHint")}</p>` : nothing}
          <textarea part="input" id="reply" .value=${draft} aria-invalid=${this.replyError ? "true" : "false"}
            aria-describedby=${[closed ? "reply-hint" : "", this.replyError ? "reply-error" : ""].filter(Boolean).join(" ")}
            @input=${(e: Event) => saveDraft(this.replyKey(ticket.id), (e.target as HTMLTextAreaElement).value)}></textarea>
          ${this.replyError ? html`<p class="error" id="reply-error">${this.replyError}</p>` : nothing}
        </div>
        ${host.attachments(`${this.replyKey(ticket.id)}:files`, ticket.id)}
        <div class="row">
          <button part="button primary" class="primary" type="submit" ?disabled=${host.busy}>${this.msg("sendReply")}</button>
          ${closed
            ? html`<button part="button" type="button" @click=${() => void this.setStatus(ticket, "open")}>${this.msg("reopenTicket")}</button>`
            : html`<button part="button" type="button" @click=${() => void this.setStatus(ticket, "closed")}>${this.msg("closeTicket")}</button>`}
        </div>
      </form>
    </section>`;
  }
}

async function catalogue(locale: Locale): Promise<ThreadCatalogue> {
  // ru.ts is already loaded for a Russian page (i18n.ts), so this costs no request.
  return locale === "ru" ? (await import("../locales/ru")).ruThread : enThread;
}
