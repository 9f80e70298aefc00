import { html, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { theme } from "../elements/theme.styles";
import { AdminScreen } from "./admin-screen";
import type { AdminKey } from "./admin-text";
import { adminStyles } from "./settings.styles";

export interface CannedReply {
  id: string;
  title: string;
  body: string;
  updatedAt: string;
}

/** The placeholders a canned reply may use (docs/console.md), with what each becomes. */
export const PLACEHOLDERS: readonly { name: string; meaning: AdminKey }[] = [
  { name: "{{customer.name}}", meaning: "placeholderCustomer" },
  { name: "{{ticket.number}}", meaning: "placeholderTicket" },
  { name: "{{agent.name}}", meaning: "placeholderAgent" },
  { name: "{{tenant.name}}", meaning: "placeholderTenant" },
];

interface Editing {
  /** Absent for a new one. */
  id?: string;
  title: string;
  body: string;
}

/**
 * The tenant's canned replies for its admins: list, add, edit, delete (`/canned-replies`,
 * docs/console.md), with the placeholders explained and insertable; the server's errors (e.g. an
 * unknown placeholder) are shown at their field. An agent sees the list, read-only. The console
 * shows it in its Settings tab with its session; alone, it takes `api`, `tenant`, `tokenProvider`.
 *
 * @prop {Session} session - The console's session: client, strings, who is signed in
 * @attr api - Standalone only: the Edgedesk origin
 * @attr tenant - Standalone only: the tenant id
 * @attr lang - Standalone only: the language (en, ru)
 * @prop {() => Promise<string>} tokenProvider - Standalone only: returns a staff embed token
 */
export class EdgedeskCannedReplies extends AdminScreen {
  static override styles = [theme, adminStyles];
  static override properties = {
    replies: { state: true },
    editing: { state: true },
    errors: { state: true },
    status: { state: true },
    deleting: { state: true },
    busy: { state: true },
  };

  declare replies: CannedReply[] | undefined;
  declare editing: Editing | undefined;
  declare errors: Record<string, string>;
  declare status: { text: string; bad?: boolean } | undefined;
  declare deleting: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.errors = {};
    this.busy = false;
  }

  override async load(): Promise<void> {
    const res = await this.session?.call<{ cannedReplies: CannedReply[] }>("GET", "/canned-replies", undefined, {
      retry: () => void this.load(),
    });
    if (!res) return;
    this.loadFailed = !res.ok;
    if (res.ok) this.replies = res.value.cannedReplies;
  }

  #edit(editing: Editing | undefined): void {
    this.editing = editing;
    this.errors = {};
    this.status = undefined;
    if (editing)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#canned-title")?.focus());
  }

  async #save(): Promise<void> {
    const session = this.session;
    const editing = this.editing;
    if (!session || !editing) return;
    this.busy = true;
    const body = { title: editing.title.trim(), body: editing.body };
    const res = editing.id
      ? await session.call("PUT", `/canned-replies/${encodeURIComponent(editing.id)}`, body)
      : await session.call("POST", "/canned-replies", body);
    this.busy = false;
    if (!res.ok) {
      this.errors = Object.fromEntries(res.problem.errors.map((e) => [e.path, e.message]));
      if (!res.problem.errors.length)
        this.status = { bad: true, text: this.say("notSaved", { detail: res.problem.detail }) };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.#edit(undefined);
    this.status = { text: this.say("cannedSaved") };
    session.announce(this.say("cannedSaved"));
    await this.load();
  }

  async #delete(reply: CannedReply): Promise<void> {
    const session = this.session;
    if (!session) return;
    const res = await session.call("DELETE", `/canned-replies/${encodeURIComponent(reply.id)}`);
    this.deleting = undefined;
    this.status = res.ok
      ? { text: this.say("cannedDeleted") }
      : { bad: true, text: this.say("notSaved", { detail: res.problem.detail }) };
    if (res.ok) await this.load();
  }

  /** Puts `placeholder` where the cursor is in the text box. */
  #insert(placeholder: string): void {
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>("#canned-body");
    if (!box || !this.editing) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? start;
    const body = box.value.slice(0, start) + placeholder + box.value.slice(end);
    this.editing = { ...this.editing, body };
    void this.updateComplete.then(() => {
      box.focus();
      box.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  }

  #field(
    id: "title" | "body",
    control: (invalid: boolean, describedBy: string | typeof nothing) => TemplateResult,
  ): TemplateResult {
    const error = this.errors[id];
    return html`<div class="field">
      <label for="canned-${id}">${this.say(id === "title" ? "cannedTitleLabel" : "cannedBody")}</label>
      ${control(Boolean(error), error ? `canned-${id}-error` : nothing)}
      ${error ? html`<p class="error" id="canned-${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  #editor(editing: Editing): TemplateResult {
    return html`<form class="section" aria-labelledby="canned-editor-title" novalidate @submit=${(e: Event) => {
      e.preventDefault();
      void this.#save();
    }}>
      <h3 id="canned-editor-title">${editing.id ? this.say("cannedEditing", { title: editing.title }) : this.say("cannedNew")}</h3>
      ${this.#field(
        "title",
        (
          invalid,
          describedBy,
        ) => html`<input id="canned-title" .value=${live(editing.title)} aria-invalid=${invalid ? "true" : "false"}
          aria-describedby=${describedBy} @input=${(e: Event) => {
            this.editing = { ...editing, title: (e.target as HTMLInputElement).value };
          }}>`,
      )}
      ${this.#field(
        "body",
        (invalid, describedBy) => html`<textarea id="canned-body" rows="8" .value=${live(editing.body)}
          aria-invalid=${invalid ? "true" : "false"} aria-describedby="canned-placeholders ${describedBy === nothing ? "" : describedBy}"
          @input=${(e: Event) => {
            this.editing = { ...editing, body: (e.target as HTMLTextAreaElement).value };
          }}></textarea>`,
      )}
      <p class="hint" id="canned-placeholders">${this.say("placeholders")} ${PLACEHOLDERS.map((p) => p.name).join(", ")}</p>
      <dl class="placeholders">
        ${PLACEHOLDERS.map(
          (p) => html`<dt><button type="button" aria-label=${this.say("insertPlaceholder", { placeholder: p.name })}
            @click=${() => this.#insert(p.name)}><code>${p.name}</code></button></dt><dd>${this.say(p.meaning)}</dd>`,
        )}
      </dl>
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.say("save")}</button>
        <button type="button" @click=${() => this.#edit(undefined)}>${this.say("cancel")}</button>
        ${this.status?.bad ? html`<p class="status bad" role="status">${this.status.text}</p>` : nothing}
      </div>
    </form>`;
  }

  protected override render(): TemplateResult {
    const _session = this.session;
    const notice = this.ownNotice();
    const admin = this.isAdmin;
    const replies = this.replies;
    return html`${notice}
      <h2>${this.say("cannedTitle")}</h2>
      <p class="hint">${this.say("cannedIntro")} ${admin ? "" : this.say("cannedAdminOnly")}</p>
      ${this.editing ? this.#editor(this.editing) : nothing}
      ${!this.editing && this.status ? html`<p class="status ${this.status.bad ? "bad" : ""}" role="status">${this.status.text}</p>` : nothing}
      ${
        replies === undefined
          ? this.loadFailed
            ? html`<p>${this.say("cannedLoadFailed")}</p>
              <button type="button" @click=${() => void this.load()}>${this.say("retry")}</button>`
            : html`<p role="status">${this.say("loading")}</p>`
          : replies.length === 0
            ? html`<p>${this.say("cannedNone")}</p>`
            : html`<ul class="plain canned">${replies.map(
                (r) => html`<li>
                  <h3>${r.title}</h3>
                  <p class="body-preview">${r.body}</p>
                  ${
                    !admin
                      ? nothing
                      : this.deleting === r.id
                        ? html`<div class="row"><span>${this.say("cannedDeleteConfirm", { title: r.title })}</span>
                          <button type="button" class="primary" @click=${() => void this.#delete(r)}>${this.say("cannedDeleteYes")}</button>
                          <button type="button" @click=${() => {
                            this.deleting = undefined;
                          }}>${this.say("cancel")}</button></div>`
                        : html`<div class="row">
                          <button type="button" aria-label="${this.say("cannedEdit")}: ${r.title}"
                            @click=${() => this.#edit({ id: r.id, title: r.title, body: r.body })}>${this.say("cannedEdit")}</button>
                          <button type="button" aria-label="${this.say("cannedDelete")}: ${r.title}" @click=${() => {
                            this.deleting = r.id;
                          }}>${this.say("cannedDelete")}</button></div>`
                  }
                </li>`,
              )}</ul>`
      }
      ${admin && replies && !this.editing ? html`<button type="button" class="primary" @click=${() => this.#edit({ title: "", body: "" })}>${this.say("cannedNew")}</button>` : nothing}`;
  }
}

if (!customElements.get("edgedesk-canned-replies"))
  customElements.define("edgedesk-canned-replies", EdgedeskCannedReplies);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-canned-replies": EdgedeskCannedReplies;
  }
}
