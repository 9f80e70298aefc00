import { html, nothing, type TemplateResult } from "lit";
import type {
  EventType,
  RotatedWebhookSecret,
  WebhookDeliveryList,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookEndpointView,
  WebhookTestResult,
} from "../../worker/schemas/webhooks";
import type { Session } from "../session";
import type { AdminKey } from "./admin-text";
import { FormKit } from "./form-kit";
import type { Say } from "./settings-hours";

/** The element the panel renders in: it re-renders on request and has the session. */
interface Host {
  requestUpdate(): void;
  readonly session: Session | undefined;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

type Delivery = WebhookDeliveryList["deliveries"][number];

/** Every event an endpoint can ask for (the schema's list: the Record makes it whole), with its short label. */
const EVENTS: Record<EventType, AdminKey> = {
  "ticket.created": "hookEvCreated",
  "ticket.replied": "hookEvReplied",
  "ticket.status_changed": "hookEvStatus",
  "ticket.assigned": "hookEvAssigned",
  "ticket.escalated": "hookEvEscalated",
  "alert.raised": "hookEvAlertRaised",
  "alert.acknowledged": "hookEvAlertAcked",
  "feedback.received": "hookEvFeedback",
};

const blank = () => ({ url: "", description: "", events: ["ticket.created"] as string[], includeInternalNotes: false });

/**
 * The settings' event webhooks (`/settings/webhooks`, docs/webhooks.md "From the console"): the
 * endpoints with their last delivery; one added (URL, events, internal notes) with its `whsec_`
 * secret shown once, focused, never again; a secret rotated (the new one shown once), a test event
 * sent (its answer shown), an endpoint removed after an inline confirmation; each one's recent
 * deliveries. Server field errors are shown at their fields.
 */
export class WebhooksPanel {
  #endpoints: WebhookEndpointView[] | undefined;
  /** The newest delivery of each endpoint, by endpoint id. */
  #last = new Map<string, Delivery>();
  /** The deliveries shown under an endpoint, by endpoint id. */
  #shown = new Map<string, Delivery[]>();
  #draft: Record<string, unknown> = blank();
  #errors = new Map<string, string>();
  #status: { text: string; bad?: boolean } | undefined;
  /** Per endpoint: what its last test or rotation said. */
  #results = new Map<string, { text: string; bad?: boolean }>();
  #secret: { endpointId: string; url: string; secret: string } | undefined;
  #removing: string | undefined;

  constructor(
    readonly host: Host,
    readonly say: Say,
    readonly copy: (text: string) => TemplateResult,
  ) {}

  #update(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  async load(): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const [list, recent] = await Promise.all([
      session.call<WebhookEndpointList>("GET", "/settings/webhooks"),
      session.call<WebhookDeliveryList>("GET", "/settings/webhooks/deliveries?limit=100"),
    ]);
    this.#update(() => {
      if (list.ok) this.#endpoints = list.value.endpoints;
      if (recent.ok) {
        this.#last = new Map();
        for (const d of recent.value.deliveries) if (!this.#last.has(d.endpointId)) this.#last.set(d.endpointId, d);
      }
    });
  }

  /** Shows a new secret once and moves focus to it. */
  async #reveal(endpointId: string, url: string, secret: string): Promise<void> {
    this.#update(() => (this.#secret = { endpointId, url, secret }));
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>("#webhook-secret")?.focus();
  }

  async #add(): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const d = this.#draft;
    this.#update(() => (this.#status = { text: this.say("saving") }));
    const res = await session.call<WebhookEndpointCreated>("POST", "/settings/webhooks", {
      url: String(d.url ?? "").trim(),
      description: String(d.description ?? "").trim(),
      events: Object.keys(EVENTS).filter((e) => (d.events as string[]).includes(e)),
      includeInternalNotes: d.includeInternalNotes === true,
    });
    if (!res.ok) {
      this.#update(() => {
        this.#errors = new Map(res.problem.errors.map((e) => [e.path.split(".")[0] ?? e.path, e.message]));
        this.#status = {
          bad: true,
          text: res.problem.errors.length
            ? this.say("fixErrors")
            : this.say("notSaved", { detail: res.problem.detail }),
        };
      });
      await this.host.updateComplete;
      this.host.renderRoot.querySelector<HTMLElement>('#section-webhooks [aria-invalid="true"]')?.focus();
      return;
    }
    const { endpoint, secret } = res.value;
    this.#endpoints = [...(this.#endpoints ?? []), endpoint];
    this.#draft = blank();
    this.#errors = new Map();
    this.#status = { text: this.say("hookAdded") };
    await this.#reveal(endpoint.id, endpoint.url, secret);
  }

  async #rotate(e: WebhookEndpointView): Promise<void> {
    const res = await this.host.session?.call<RotatedWebhookSecret>("POST", `/settings/webhooks/${e.id}/rotate`, {});
    if (!res) return;
    if (!res.ok) return this.#result(e.id, { bad: true, text: this.say("notSaved", { detail: res.problem.detail }) });
    const until = res.value.previousSecretExpiresAt;
    this.#result(e.id, {
      text: until ? this.say("hookRotated", { when: this.#when(until) }) : this.say("hookRotatedNow"),
    });
    await this.#reveal(e.id, e.url, res.value.secret);
  }

  async #test(e: WebhookEndpointView): Promise<void> {
    this.#result(e.id, { text: this.say("hookTestSending") });
    const res = await this.host.session?.call<WebhookTestResult>("POST", `/settings/webhooks/${e.id}/test`);
    if (!res) return;
    const code = res.ok && res.value.statusCode !== null ? `HTTP ${res.value.statusCode}` : "";
    this.#result(
      e.id,
      !res.ok
        ? { bad: true, text: this.say("hookTestFailed", { detail: res.problem.detail }) }
        : res.value.delivered
          ? { text: this.say("hookTestOk", { code }) }
          : { bad: true, text: this.say("hookTestFailed", { detail: res.value.error ?? code }) },
    );
    if (this.#shown.has(e.id)) await this.#deliveries(e.id, true);
    else await this.load();
  }

  async #remove(id: string): Promise<void> {
    const res = await this.host.session?.call("DELETE", `/settings/webhooks/${id}`);
    this.#update(() => {
      this.#removing = undefined;
      if (!res?.ok) {
        if (res) this.#status = { bad: true, text: this.say("notSaved", { detail: res.problem.detail }) };
        return;
      }
      this.#endpoints = (this.#endpoints ?? []).filter((e) => e.id !== id);
      if (this.#secret?.endpointId === id) this.#secret = undefined;
      this.#status = { text: this.say("hookRemoved") };
    });
  }

  /** Shows (or, unless `refresh`, hides) an endpoint's recent deliveries. */
  async #deliveries(id: string, refresh = false): Promise<void> {
    if (this.#shown.has(id) && !refresh) return this.#update(() => this.#shown.delete(id));
    const res = await this.host.session?.call<WebhookDeliveryList>(
      "GET",
      `/settings/webhooks/deliveries?endpoint=${encodeURIComponent(id)}&limit=20`,
    );
    if (!res?.ok) return;
    const [newest] = res.value.deliveries;
    this.#update(() => {
      this.#shown.set(id, res.value.deliveries);
      if (newest) this.#last.set(id, newest);
    });
  }

  #result(id: string, result: { text: string; bad?: boolean }): void {
    this.#update(() => this.#results.set(id, result));
  }

  #when(iso: string): string {
    return this.host.session?.t.dateTime(iso) ?? iso;
  }

  #outcome(d: Delivery): string {
    const code = d.responseCode === null ? "" : ` (HTTP ${d.responseCode})`;
    return `${this.say(d.status === "delivered" ? "hookDelivered" : d.status === "failed" ? "hookFailed" : "hookPending")}${code}`;
  }

  #table(list: Delivery[]): TemplateResult {
    const say = this.say;
    if (!list.length) return html`<p class="hint">${say("hookNoDeliveries")}</p>`;
    return html`<table>
      <thead><tr><th scope="col">${say("hookWhen")}</th><th scope="col">${say("hookEvent")}</th><th scope="col">${say("hookStatus")}</th><th scope="col">${say("hookTries")}</th><th scope="col">${say("hookLastError")}</th></tr></thead>
      <tbody>${list.map(
        (d) =>
          html`<tr><td>${this.#when(d.createdAt)}</td><td>${d.type}</td><td>${this.#outcome(d)}</td><td>${d.attempts}</td><td>${d.lastError ?? ""}</td></tr>`,
      )}</tbody>
    </table>`;
  }

  #row(e: WebhookEndpointView): TemplateResult {
    const say = this.say;
    const last = this.#last.get(e.id);
    const shown = this.#shown.get(e.id);
    const result = this.#results.get(e.id);
    const label = (key: AdminKey) => `${say(key)} ${e.url}`;
    return html`<li class="endpoint">
      <p>${e.description ? html`<strong>${e.description}</strong> ` : nothing}<code>${e.url}</code></p>
      <p class="hint">${say("hookEvents")}: ${e.events.map((ev) => say(EVENTS[ev])).join(", ")}.
        ${say(e.includeInternalNotes ? "hookNotesYes" : "hookNotesNo")}
        ${say("secretAdded", { when: this.#when(e.createdAt) })}.
        ${say("hookLast")}: ${last ? `${this.#outcome(last)}, ${this.#when(last.createdAt)}` : say("hookNone")}</p>
      <div class="actions">
        ${
          this.#removing === e.id
            ? html`<span>${say("hookRemoveConfirm")}</span>
              <button type="button" class="primary" @click=${() => void this.#remove(e.id)}>${say("hookRemoveYes")}</button>
              <button type="button" @click=${() => this.#update(() => (this.#removing = undefined))}>${say("cancel")}</button>`
            : html`<button type="button" aria-label=${label("hookTest")} @click=${() => void this.#test(e)}>${say("hookTest")}</button>
              <button type="button" aria-label=${label("hookRotate")} @click=${() => void this.#rotate(e)}>${say("hookRotate")}</button>
              <button type="button" aria-label=${label("hookDeliveries")} aria-expanded=${shown ? "true" : "false"}
                @click=${() => void this.#deliveries(e.id)}>${say("hookDeliveries")}</button>
              <button type="button" aria-label=${label("remove")} @click=${() => this.#update(() => (this.#removing = e.id))}>${say("remove")}</button>`
        }
        <p class="status ${result?.bad ? "bad" : ""}" role="status">${result?.text ?? ""}</p>
      </div>
      ${shown ? this.#table(shown) : nothing}
    </li>`;
  }

  render(): TemplateResult {
    const say = this.say;
    const kit = new FormKit(
      this.#draft,
      this.#errors,
      (n, message) => say("lineError", { n, message }),
      () => this.host.requestUpdate(),
    );
    const chosen = this.#draft.events as string[];
    const eventErrors = kit.errorsAt("events");
    const fresh = this.#secret;
    const status = this.#status;
    return html`<section class="section" id="section-webhooks" aria-labelledby="title-webhooks">
      <h3 id="title-webhooks" tabindex="-1">${say("sectionWebhooks")}</h3>
      <p class="hint">${say("hooksHint")}</p>
      ${
        fresh
          ? html`<div class="once" id="webhook-secret" tabindex="-1" role="region" aria-labelledby="webhook-secret-title">
            <p><strong id="webhook-secret-title">${say("hookSecret", { url: fresh.url })}</strong> ${say("hookSecretOnce")}</p>
            <p><code class="secret">${fresh.secret}</code></p>
            <div class="row">${this.copy(fresh.secret)}
              <button type="button" @click=${() => this.#update(() => (this.#secret = undefined))}>${say("dismiss")}</button></div>
          </div>`
          : nothing
      }
      ${
        this.#endpoints?.length
          ? html`<ul class="plain">${this.#endpoints.map((e) => this.#row(e))}</ul>`
          : html`<p>${say("hookNoEndpoints")}</p>`
      }
      <form novalidate @submit=${(ev: Event) => {
        ev.preventDefault();
        void this.#add();
      }}>
        <h4>${say("hookAdd")}</h4>
        ${kit.text({ path: "url", label: say("hookUrl"), hint: say("hookUrlHint"), type: "url" })}
        ${kit.text({ path: "description", label: say("hookDescription"), hint: say("hookDescriptionHint") })}
        <fieldset aria-describedby=${eventErrors.length ? "f-events-error" : nothing}>
          <legend>${say("hookEvents")}</legend>
          ${Object.entries(EVENTS).map(
            ([event, key]) => html`<label class="inline"><input type="checkbox" .checked=${chosen.includes(event)}
              aria-invalid=${eventErrors.length ? "true" : "false"}
              @change=${(ev: Event) =>
                kit.set(
                  "events",
                  (ev.target as HTMLInputElement).checked ? [...chosen, event] : chosen.filter((c) => c !== event),
                )}>${say(key)}</label>`,
          )}
          ${eventErrors.length ? html`<p class="error" id="f-events-error">${eventErrors.join(" ")}</p>` : nothing}
        </fieldset>
        ${kit.checkbox({ path: "includeInternalNotes", label: say("hookNotes"), hint: say("hookNotesHint") })}
        <div class="actions">
          <button type="submit" class="primary">${say("hookAddButton")}</button>
          <p class="status ${status?.bad ? "bad" : ""}" role="status">${status?.text ?? ""}</p>
        </div>
      </form>
    </section>`;
  }
}
