import { html, nothing, type TemplateResult } from "lit";
import type { StatusNoticeInput, StoredStatusNotice } from "../../worker/schemas/status-notice";
import type { Session } from "../session";
import { FormKit } from "./form-kit";
import type { Say } from "./settings-hours";

/** The element the panel renders in: it re-renders on request and has the session. */
interface Host {
  requestUpdate(): void;
  readonly session: Session | undefined;
}

interface NoticeState {
  notice: StoredStatusNotice | null;
  showing: boolean;
  webhookSecretSet: boolean;
}

type Draft = { notice: Record<string, unknown> };

const SEVERITIES = ["info", "maintenance", "incident"] as const;

/** An ISO instant as a `datetime-local` value in the browser's time zone, and back. */
const toLocal = (iso: string | null) => {
  if (!iso) return undefined;
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (local: unknown) => (typeof local === "string" && local ? new Date(local).toISOString() : null);

/**
 * The settings' status notice (`GET/PUT/DELETE /status-notice`, docs/api.md "Status notice"): the
 * notice the customer widget shows at its top and on the form, with its window in the admin's own
 * time zone; and the status-page webhook's secret (`POST/DELETE /status-notice/webhook-secret`),
 * a new one shown once. Server field errors are shown at their fields.
 */
export class StatusNoticePanel {
  #state: NoticeState | undefined;
  #draft: Draft = { notice: { severity: "maintenance" } };
  #errors = new Map<string, string>();
  #status: { text: string; bad?: boolean } | undefined;
  #secret: string | undefined;

  constructor(
    readonly host: Host,
    readonly say: Say,
    readonly copy: (text: string) => TemplateResult,
  ) {}

  #update(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  #take(state: NoticeState): void {
    const n = state.notice;
    this.#state = state;
    this.#draft = {
      notice: n
        ? {
            text: n.text,
            severity: n.severity,
            startsAt: toLocal(n.startsAt),
            endsAt: toLocal(n.endsAt),
            affects: n.affects,
          }
        : { severity: "maintenance" },
    };
  }

  async load(): Promise<void> {
    const res = await this.host.session?.call<NoticeState>("GET", "/status-notice");
    if (res?.ok) this.#update(() => this.#take(res.value));
  }

  async #send(method: "PUT" | "DELETE"): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const d = this.#draft.notice;
    const body: Partial<StatusNoticeInput> | undefined =
      method === "PUT"
        ? {
            text: String(d.text ?? ""),
            severity: d.severity as StatusNoticeInput["severity"],
            startsAt: fromLocal(d.startsAt),
            endsAt: fromLocal(d.endsAt),
            affects: Array.isArray(d.affects) ? d.affects.map(String) : [],
          }
        : undefined;
    this.#update(() => (this.#status = { text: this.say("saving") }));
    const res = await session.call<NoticeState>(method, "/status-notice", body);
    this.#update(() => {
      this.#errors = new Map(res.ok ? [] : res.problem.errors.map((e) => [`notice.${e.path}`, e.message]));
      if (!res.ok)
        this.#status = {
          bad: true,
          text: res.problem.errors.length
            ? this.say("fixErrors")
            : this.say("notSaved", { detail: res.problem.detail }),
        };
      else {
        const state = this.#state ?? { webhookSecretSet: false };
        this.#take(
          method === "PUT" ? res.value : { notice: null, showing: false, webhookSecretSet: state.webhookSecretSet },
        );
        this.#status = { text: this.say(method === "PUT" ? "saved" : "noticeCleared") };
      }
    });
  }

  async #webhook(on: boolean): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const res = await session.call<{ secret: string }>(on ? "POST" : "DELETE", "/status-notice/webhook-secret");
    this.#update(() => {
      if (!res.ok) {
        this.#status = { bad: true, text: this.say("notSaved", { detail: res.problem.detail }) };
        return;
      }
      this.#secret = on ? res.value.secret : undefined;
      if (this.#state) this.#state = { ...this.#state, webhookSecretSet: on };
    });
  }

  render(): TemplateResult {
    const say = this.say;
    const state = this.#state;
    const kit = new FormKit(
      this.#draft,
      this.#errors,
      (n, message) => say("lineError", { n, message }),
      () => this.host.requestUpdate(),
    );
    const status = this.#status;
    return html`<section class="section" id="section-status" aria-labelledby="title-status">
      <h3 id="title-status" tabindex="-1">${say("sectionStatus")}</h3>
      <p class="hint">${say(state?.notice ? (state.showing ? "noticeShowing" : "noticeNotShowing") : "noticeNone")}</p>
      ${kit.text({ path: "notice.text", label: say("noticeText"), hint: say("noticeTextHint") })}
      ${kit.select({
        path: "notice.severity",
        label: say("noticeSeverity"),
        options: SEVERITIES.map((s) => ({ value: s, label: say(`noticeSeverity_${s}`) })),
      })}
      <div class="row">
        ${kit.text({ path: "notice.startsAt", label: say("noticeStartsAt"), type: "datetime-local", optional: true })}
        ${kit.text({ path: "notice.endsAt", label: say("noticeEndsAt"), type: "datetime-local", optional: true })}
      </div>
      ${kit.lines({ path: "notice.affects", label: say("noticeAffects"), hint: say("noticeAffectsHint"), rows: 2 })}
      <div class="actions">
        <button type="button" class="primary" @click=${() => void this.#send("PUT")}>${say("noticeSave")}</button>
        ${state?.notice ? html`<button type="button" @click=${() => void this.#send("DELETE")}>${say("noticeClear")}</button>` : nothing}
        <p class="status ${status?.bad ? "bad" : ""}" role="status">${status?.text ?? ""}</p>
      </div>
      <h4>${say("noticeWebhook")}</h4>
      <p class="hint">${say(state?.webhookSecretSet ? "noticeWebhookOn" : "noticeWebhookOff")}</p>
      ${
        this.#secret
          ? html`<div class="once"><p>${say("secretShownOnce")}</p><p><code class="secret">${this.#secret}</code></p>${this.copy(this.#secret)}</div>`
          : nothing
      }
      <div class="actions">
        <button type="button" @click=${() => void this.#webhook(true)}>${say("noticeWebhookNew")}</button>
        ${state?.webhookSecretSet ? html`<button type="button" @click=${() => void this.#webhook(false)}>${say("noticeWebhookStop")}</button>` : nothing}
      </div>
    </section>`;
  }
}
