// Longer than 400 lines because it is one element whose state is one machine: a file is picked,
// checked, uploaded with progress, cancelled, retried, kept in the draft and restored; splitting
// it would hand that state between modules. Its display-only parts live in attachment-list.ts.
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { ApiProblem } from "../api";
import { fill, type Locale } from "../i18n";
import { type AttachmentCatalogue, type AttachmentKey, enAttachments } from "../locales/en-attachments";
import { clearDraft, loadDraft, type Session, saveDraft } from "../session";
import { makeThumbnail, sendThumbnail } from "../thumbnail";
import type { Upload } from "../types";
import { CANCELLED, upload } from "../uploads";
import { extension, formatSize } from "./attachment-list";
import { styles } from "./attachment-picker.styles";
import { adoptStyles } from "./theme.styles";

type State = "uploading" | "done" | "refused" | "failed" | "cancelled";
/** A catalogue key and its parameters, turned into words when shown. */
type Reason = [AttachmentKey, Record<string, string | number>];

interface Item {
  /** Numbers the item's ids, which must not collide with the form's. */
  n: number;
  name: string;
  size: number;
  state: State;
  /** 0 to 1. */
  progress: number;
  /** The picked file, kept for a retry; absent for an upload restored from the draft. */
  file?: File;
  upload?: Upload;
  /** When the upload finished: the server keeps it attachable for 24 hours. */
  at?: number;
  reason?: Reason;
  /** A local object URL for an image's thumbnail. */
  preview?: string;
  cancel?: () => void;
}

/** What the draft keeps of a finished upload. */
interface StoredUpload extends Upload {
  at: number;
}

/** An hour short of the server's 24, so a restored draft never sends an upload that has just expired. */
const ATTACHABLE_MS = 23 * 3600_000;
const IMAGE = /\.(png|jpe?g)$/i;

let instances = 0;

/**
 * The files of one message: picked or dropped, each uploaded at once with its own progress,
 * cancel, retry and remove; the tenant's types and limits stated up front, refusals in words.
 * Finished uploads are kept in a draft (localStorage) so a reload keeps them. Used by the
 * new-ticket form and the thread's reply box, inside whose shadow root it renders (its buttons,
 * hints and theming are theirs).
 *
 * @internal Part of <edgedesk-tickets>; not for pages.
 *
 * @csspart attachments - The group: legend, rules, drop zone and files
 * @csspart dropzone - The drop zone, also the button that opens the file chooser
 * @csspart attachment - A picked file
 */
export class EdgedeskAttachments extends LitElement {
  static override properties = {
    session: { attribute: false },
    ticket: { attribute: false },
    draft: { attribute: false },
    text: { state: true },
    dragging: { state: true },
    note: { state: true },
  };

  /** The session of the view it is in: client, strings, the tenant's rules. */
  declare session: Session | undefined;
  /** The ticket a reply's files are for; unset in the new-ticket form. */
  declare ticket: string | undefined;
  /** The localStorage key that keeps the finished uploads. */
  declare draft: string;
  declare text: AttachmentCatalogue | undefined;
  declare dragging: boolean;
  /** A refusal that concerns all the files, not one: still uploading, too many. */
  declare note: string;

  #items: Item[] = [];
  /** Taken out of the page this task: moved if it is back by the next microtask. */
  #moving = false;
  /** What the last take() handed out, so the server's `attachmentIds.<i>` errors find their file. */
  #sent: Item[] = [];
  #pending: string[] = [];
  readonly #idPrefix = `attach${++instances}`;

  constructor() {
    super();
    this.draft = "";
    this.dragging = false;
    this.note = "";
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles(this.getRootNode(), styles);
    // Shown again (the form is kept while the person looks elsewhere): start from the draft, as a new
    // picker would; only moved (a framework's re-render takes the widget out and puts it back): go on.
    if (this.hasUpdated && !this.#moving) this.#restore();
    this.#moving = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the form or the thread abandons what is still uploading; finished files stay in the draft.
    this.#moving = true;
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#moving = false;
      for (const item of this.#items) {
        item.cancel?.();
        forget(item);
      }
    });
  }

  // ---- what the form and the reply box call ---------------------------------------------------

  /** The ids to send with the message, or null, saying why, while files are still uploading. */
  take(): string[] | null {
    if (this.#items.some((i) => i.state === "uploading")) {
      this.note = this.#msg("waitForUploads");
      this.#say(this.note);
      this.#reveal(".attachments > .error");
      return null;
    }
    this.note = "";
    for (const item of this.#items)
      if (item.state === "done" && Date.now() - (item.at ?? 0) > ATTACHABLE_MS)
        this.#fail(item, "refused", ["stale", {}]);
    this.#sent = this.#items.filter((i) => i.state === "done");
    this.#persist();
    return this.#sent.map((i) => i.upload!.id);
  }

  /** The server refused some attached ids: shows why at their files; returns the errors about anything else. */
  refuse(errors: { path: string; message: string }[]): { path: string; message: string }[] {
    const rest = errors.filter((e) => {
      const match = /^attachmentIds(?:\.(\d+))?/.exec(e.path);
      if (!match) return true;
      // The server's messages here are fragments after a path ("is not an upload of yours…"): say it in our words.
      const item = match[1] === undefined ? undefined : this.#sent[Number(match[1])];
      if (item) this.#fail(item, "refused", ["stale", {}]);
      else {
        this.note = this.#msg("tooMany", { count: this.session?.config?.attachments.maxFilesPerMessage ?? 0 });
        this.#say(this.note);
      }
      return false;
    });
    if (rest.length < errors.length) this.#reveal(".attachments > .error, .upload.refused");
    this.#persist();
    return rest;
  }

  /** The message was sent: its files went with it, and the refused ones are of no more use. */
  clear(): void {
    this.#items = this.#items.filter((i) => {
      const keep = (i.state === "uploading" || i.state === "done") && !this.#sent.includes(i);
      if (!keep) forget(i);
      return keep;
    });
    this.#sent = [];
    this.note = "";
    this.#persist();
    this.requestUpdate();
  }

  // ---- uploads -------------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("session") && this.session)
      void catalogue(this.session.t.locale).then((text) => (this.text = text));
    if (changed.has("draft")) this.#restore();
  }

  #restore(): void {
    for (const item of this.#items) {
      item.cancel?.();
      forget(item);
    }
    const stored = (this.draft && loadDraft<StoredUpload[]>(this.draft)) || [];
    this.#items = stored.map(({ at, ...upload }) => {
      const item: Item = {
        n: ++instances,
        name: upload.name,
        size: upload.size,
        state: "done",
        progress: 1,
        upload,
        at,
      };
      if (Date.now() - at > ATTACHABLE_MS) Object.assign(item, { state: "refused", reason: ["stale", {}] });
      return item;
    });
    this.#sent = [];
    this.note = "";
    this.#persist();
    this.requestUpdate();
  }

  #persist(): void {
    if (!this.draft) return;
    const stored: StoredUpload[] = this.#items.flatMap((i) =>
      i.state === "done" && i.upload ? [{ ...i.upload, at: i.at ?? Date.now() }] : [],
    );
    if (stored.length) saveDraft(this.draft, stored);
    else clearDraft(this.draft);
  }

  #add(files: File[]): void {
    const rules = this.session?.config?.attachments;
    if (!rules) return;
    for (const file of files) {
      const item: Item = { n: ++instances, name: file.name, size: file.size, state: "uploading", progress: 0, file };
      if (IMAGE.test(file.name)) item.preview = URL.createObjectURL(file);
      const refusal = this.#check(file);
      this.#items = [...this.#items, item];
      if (refusal) this.#fail(item, "refused", refusal);
      else this.#start(item);
    }
    this.note = "";
    // Shown at once, not at the first progress event (which a slow network may hold back).
    this.requestUpdate();
  }

  /** The server's rules from /config, checked first so that obvious refusals never cost an upload. */
  #check(file: File): Reason | undefined {
    const rules = this.session!.config!.attachments;
    const locale = this.session!.t.locale;
    if (!(rules.allowedExtensions as readonly string[]).includes(extension(file.name)))
      return ["badType", { types: rules.allowedExtensions.join(", ") }];
    if (file.size === 0) return ["empty", {}];
    if (file.size > rules.maxFileBytes)
      return ["tooLarge", { size: formatSize(file.size, locale), max: formatSize(rules.maxFileBytes, locale) }];
    if (this.#items.filter((i) => i.state === "uploading" || i.state === "done").length >= rules.maxFilesPerMessage)
      return ["tooMany", { count: rules.maxFilesPerMessage }];
    return undefined;
  }

  #start(item: Item): void {
    const client = this.session?.client;
    if (!client || !item.file) return;
    Object.assign(item, { state: "uploading", progress: 0, reason: undefined });
    const sent = upload(client, item.file, {
      ticket: this.ticket,
      onProgress: (loaded, total) => {
        item.progress = total ? Math.min(loaded / total, 1) : 0;
        this.requestUpdate();
      },
    });
    // Made while the file uploads, sent once it is stored: the thread then never loads the original to show it.
    const thumbnail = IMAGE.test(item.name) ? makeThumbnail(item.file) : null;
    const done = sent.done.then(async (stored) => {
      const small = await thumbnail;
      if (small) await sendThumbnail(client, stored.id, small);
      return stored;
    });
    item.cancel = sent.cancel;
    this.#say(this.#msg("saidUploading", { name: item.name }));
    done
      .then(
        (stored) => {
          Object.assign(item, {
            state: "done",
            progress: 1,
            upload: stored,
            name: stored.name,
            size: stored.size,
            at: Date.now(),
          });
          this.#persist();
          this.#say(this.#msg("saidUploaded", { name: item.name }));
        },
        (error: unknown) => {
          const problem = error instanceof ApiProblem ? error : new ApiProblem(0, "network", String(error));
          if (problem.code === CANCELLED) {
            item.state = "cancelled";
            this.#say(this.#msg("saidCancelled", { name: item.name }));
            this.#focusAction(item, "retry");
          } else if ([411, 413, 415, 422].includes(problem.status) || problem.code === "pending_uploads_full") {
            // The file itself was refused (type, content, size, empty, no room left): sending it again cannot help.
            this.#fail(item, "refused", ["refused", { detail: problem.detail }]);
          } else {
            this.#fail(
              item,
              "failed",
              problem.isNetwork
                ? ["networkFailed", {}]
                : problem.status === 429 && problem.retryAfter !== undefined
                  ? ["tooManyUploads", { seconds: problem.retryAfter }]
                  : ["failed", { detail: problem.detail }],
            );
          }
        },
      )
      .finally(() => {
        item.cancel = undefined;
        if (!this.#items.some((i) => i.state === "uploading")) this.note = "";
        this.requestUpdate();
      });
  }

  #retry(item: Item): void {
    // The limits again: other files may have been added since.
    const refusal = this.#check(item.file!);
    if (refusal) this.#fail(item, "refused", refusal);
    else this.#start(item);
  }

  #fail(item: Item, state: "refused" | "failed", reason: Reason): void {
    Object.assign(item, { state, reason });
    // A refused ".jpg" may be anything but an image.
    if (state === "refused") forget(item);
    this.#say(this.#msg("saidProblem", { name: item.name, reason: this.#msg(...reason) }));
    this.requestUpdate();
  }

  #removeItem(item: Item): void {
    item.cancel?.();
    forget(item);
    this.#items = this.#items.filter((i) => i !== item);
    this.#persist();
    this.#say(this.#msg("saidRemoved", { name: item.name }));
    this.requestUpdate();
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(".dropzone")?.focus());
  }

  #focusAction(item: Item, action: string): void {
    this.requestUpdate();
    void this.updateComplete.then(() =>
      this.querySelector<HTMLElement>(`#${this.#idPrefix}-${item.n}-${action}`)?.focus(),
    );
  }

  /** Scrolls a refusal into view: the send button that caused it may be far below. */
  #reveal(selector: string): void {
    void this.updateComplete.then(() => this.querySelector(selector)?.scrollIntoView({ block: "nearest" }));
  }

  /** Gathers what happens in one turn into one announcement, so none overwrites another. */
  #say(text: string): void {
    this.#pending.push(text);
    if (this.#pending.length > 1) return;
    setTimeout(() => {
      this.session?.announce(this.#pending.join(" "));
      this.#pending = [];
    });
  }

  #msg(key: AttachmentKey, params: Record<string, string | number> = {}): string {
    return fill((this.text ?? enAttachments)[key], params);
  }

  // ---- drag and drop -------------------------------------------------------------------------

  #dragOver(e: DragEvent): void {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    this.dragging = true;
  }

  #dragLeave(e: DragEvent): void {
    if (!(e.relatedTarget instanceof Node && this.contains(e.relatedTarget))) this.dragging = false;
  }

  #drop(e: DragEvent): void {
    this.dragging = false;
    if (!e.dataTransfer?.files.length) return;
    // Without this the browser would open the file in place of the page, and the form with it.
    e.preventDefault();
    this.#add([...e.dataTransfer.files]);
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render(): TemplateResult | typeof nothing {
    const session = this.session;
    const rules = session?.config?.attachments;
    if (!session || !this.text || !rules?.maxFilesPerMessage) return nothing;
    const id = this.#idPrefix;
    const locale = session.t.locale;
    return html`<fieldset part="attachments" class="attachments" @dragenter=${this.#dragOver} @dragover=${this.#dragOver}
      @dragleave=${this.#dragLeave} @drop=${this.#drop}>
      <legend class="label">${this.#msg("legend")}</legend>
      <p class="hint" id="${id}-rules">${this.#msg("hint")}
        ${this.#msg("rules", { types: rules.allowedExtensions.join(", "), size: formatSize(rules.maxFileBytes, locale), count: rules.maxFilesPerMessage })}</p>
      <button part="button dropzone" type="button" class="dropzone ${this.dragging ? "over" : ""}" aria-describedby="${id}-rules ${this.note ? `${id}-note` : ""}"
        @click=${() => this.querySelector<HTMLInputElement>("input[type=file]")?.click()}>
        <strong>${this.#msg("choose")}</strong> <span>${this.#msg("orDrop")}</span>
      </button>
      <input type="file" multiple hidden accept=${rules.allowedExtensions.join(",")} @change=${(e: Event) => {
        const input = e.target as HTMLInputElement;
        this.#add([...(input.files ?? [])]);
        // Cleared, so that picking the same file again (after removing it) is a change too.
        input.value = "";
      }}>
      ${this.note ? html`<p class="error" id="${id}-note">${this.note}</p>` : nothing}
      ${this.#items.length ? html`<ul class="uploads">${this.#items.map((item) => this.#renderItem(item, locale))}</ul>` : nothing}
    </fieldset>`;
  }

  #renderItem(item: Item, locale: Locale): TemplateResult {
    const { name, state } = item;
    const key = `${this.#idPrefix}-${item.n}`;
    const status =
      state === "uploading"
        ? this.#msg("uploading", { percent: new Intl.NumberFormat(locale, { style: "percent" }).format(item.progress) })
        : state === "done"
          ? this.#msg("uploaded")
          : state === "cancelled"
            ? this.#msg("cancelled")
            : this.#msg(...item.reason!);
    const button = (action: "cancel" | "retry" | "remove", run: () => void) =>
      html`<button part="button" type="button" id="${key}-${action}" aria-label=${this.#msg(`${action}Label`, { name })} @click=${run}>${this.#msg(action)}</button>`;
    return html`<li part="attachment" class="upload ${state}">
      ${item.preview ? html`<img class="thumb" src=${item.preview} alt="">` : html`<span class="ext" aria-hidden="true">${extension(name).slice(1)}</span>`}
      <div class="about">
        <span><span class="name">${name}</span> <span class="size">${formatSize(item.size, locale)}</span></span>
        ${
          state === "uploading" || state === "done"
            ? html`<progress max="100" .value=${Math.round(item.progress * 100)} aria-label=${this.#msg("progressLabel", { name })}></progress>`
            : nothing
        }
        <span class=${state === "refused" || state === "failed" ? "error" : "status"}>${status}</span>
      </div>
      <div class="actions">
        ${state === "uploading" ? button("cancel", () => item.cancel?.()) : nothing}
        ${(state === "failed" || state === "cancelled") && item.file ? button("retry", () => this.#retry(item)) : nothing}
        ${state === "uploading" ? nothing : button("remove", () => this.#removeItem(item))}
      </div>
    </li>`;
  }
}

function forget(item: Item): void {
  if (item.preview) URL.revokeObjectURL(item.preview);
  item.preview = undefined;
}

async function catalogue(locale: Locale): Promise<AttachmentCatalogue> {
  // ru.ts is already loaded for a Russian page (i18n.ts), so this costs no request.
  return locale === "ru" ? (await import("../locales/ru")).ruAttachments : enAttachments;
}

if (!customElements.get("edgedesk-attachments")) customElements.define("edgedesk-attachments", EdgedeskAttachments);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-attachments": EdgedeskAttachments;
  }
}
