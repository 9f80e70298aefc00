import { html, nothing, type TemplateResult } from "lit";
import type { ApiProblem } from "../api";
import type { Session } from "../session";
import type { Say } from "./settings-hours";

export interface SecretInfo {
  kid: string;
  createdAt: string;
  revokedAt: string | null;
}

/** The element the panel renders in: it re-renders on request and has the session. */
interface Host {
  requestUpdate(): void;
  readonly session: Session | undefined;
}

/** A random secret of 32 bytes, base64url: for the alert webhook's signature. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * The settings' embed secrets: listed by key id; a new one (`POST /settings/secrets`) shown once
 * with a copy button, never again; revoked (`DELETE /settings/secrets/{kid}`) after an inline
 * confirmation. Also the copy buttons of the settings screen.
 */
export class SecretsPanel {
  secrets: SecretInfo[] | undefined;
  #new: { kid: string; secret: string } | undefined;
  #revoking: string | undefined;
  #status: { text: string; bad: boolean } | undefined;
  /** The text a copy button copied last: that button says so. */
  #copied: string | undefined;

  constructor(
    readonly host: Host,
    readonly say: Say,
  ) {}

  #update(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  #failed(problem: ApiProblem): void {
    const detail = problem.errors.length ? problem.errors.map((e) => e.message).join(" ") : problem.detail;
    this.#update(() => {
      this.#status = { bad: true, text: this.say("notSaved", { detail }) };
    });
  }

  /** A button that copies `text` and then says it did. */
  copyButton(text: string): TemplateResult {
    return html`<button type="button" @click=${async () => {
      await navigator.clipboard?.writeText(text).catch(() => undefined);
      this.host.session?.announce(this.say("copied"));
      this.#update(() => {
        this.#copied = text;
      });
    }}>${this.#copied === text ? this.say("copied") : this.say("copy")}</button>`;
  }

  async add(): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const res = await session.call<{ kid: string; secret: string }>("POST", "/settings/secrets", {});
    if (!res.ok) return this.#failed(res.problem);
    const { kid, secret } = res.value;
    this.#update(() => {
      this.#new = { kid, secret };
      this.secrets = [...(this.secrets ?? []), { kid, createdAt: new Date().toISOString(), revokedAt: null }];
      this.#status = undefined;
    });
  }

  async revoke(kid: string): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const res = await session.call("DELETE", `/settings/secrets/${encodeURIComponent(kid)}`);
    this.#update(() => {
      this.#revoking = undefined;
    });
    if (!res.ok) return this.#failed(res.problem);
    const now = new Date().toISOString();
    this.#update(() => {
      this.secrets = (this.secrets ?? []).map((s) => (s.kid === kid ? { ...s, revokedAt: now } : s));
      if (this.#new?.kid === kid) this.#new = undefined;
      this.#status = undefined;
    });
  }

  #row(s: SecretInfo, when: (iso: string) => string): TemplateResult {
    const say = this.say;
    const state = s.revokedAt
      ? say("revoked", { when: when(s.revokedAt) })
      : say("secretAdded", { when: when(s.createdAt) });
    const actions = s.revokedAt
      ? nothing
      : this.#revoking === s.kid
        ? html`<span>${say("revokeConfirm", { kid: s.kid })}</span>
          <button type="button" class="primary" @click=${() => void this.revoke(s.kid)}>${say("revokeYes")}</button>
          <button type="button" @click=${() => this.#update(() => (this.#revoking = undefined))}>${say("cancel")}</button>`
        : html`<button type="button" aria-label="${say("revoke")} ${s.kid}"
            @click=${() => this.#update(() => (this.#revoking = s.kid))}>${say("revoke")}</button>`;
    return html`<li class="row"><code>${s.kid}</code> <span class="hint">${state}</span> ${actions}</li>`;
  }

  render(): TemplateResult {
    const say = this.say;
    const when = (iso: string) => this.host.session?.t.dateTime(iso) ?? iso;
    const fresh = this.#new;
    const status = this.#status;
    return html`<section class="section" id="section-secrets" aria-labelledby="title-secrets">
      <h3 id="title-secrets" tabindex="-1">${say("sectionSecrets")}</h3>
      <p class="hint">${say("secretsHint")}</p>
      ${
        fresh
          ? html`<div class="once" role="region" aria-label=${say("newSecret", { kid: fresh.kid })}>
            <p><strong>${say("newSecret", { kid: fresh.kid })}</strong> ${say("secretShownOnce")}</p>
            <p><code class="secret">${fresh.secret}</code></p>
            <div class="row">${this.copyButton(fresh.secret)}
              <button type="button" @click=${() => this.#update(() => (this.#new = undefined))}>${say("dismiss")}</button></div>
          </div>`
          : nothing
      }
      ${
        this.secrets?.length
          ? html`<ul class="plain secrets">${this.secrets.map((s) => this.#row(s, when))}</ul>`
          : html`<p>${say("noSecrets")}</p>`
      }
      <div class="actions">
        <button type="button" @click=${() => void this.add()}>${say("addSecret")}</button>
        <p class="status ${status?.bad ? "bad" : ""}" role="status">${status?.text ?? ""}</p>
      </div>
    </section>`;
  }
}
