import { html, nothing, type TemplateResult } from "lit";
import type { AlertContact } from "../../worker/schemas/tenant";
import type { ApiProblem } from "../api";
import { theme } from "../elements/theme.styles";
import type { Result } from "../session";
import type { Priority } from "../types";
import { AdminScreen } from "./admin-screen";
import type { AdminKey } from "./admin-text";
import { FormKit } from "./form-kit";
import { adminStyles } from "./settings.styles";
import { hoursSection, type Openings } from "./settings-hours";
import { randomSecret, type SecretInfo, SecretsPanel } from "./settings-secrets";
import {
  brandSection,
  departmentsSection,
  emergencySection,
  guidanceSection,
  mailSection,
  originsSection,
  ticketsSection,
} from "./settings-sections";
import { StatusNoticePanel } from "./settings-status";
import { WebhooksPanel } from "./settings-webhooks";

type Bag = Record<string, unknown>;

/** The sections of the form, each saved on its own, and the settings each one PATCHes. */
const SECTIONS = {
  brand: { title: "sectionBrand", keys: ["name", "branding"] },
  hours: { title: "sectionHours", keys: ["timeZone", "hours", "holidays"] },
  departments: { title: "sectionDepartments", keys: ["departments"] },
  guidance: { title: "sectionGuidance", keys: ["guidance"] },
  emergency: { title: "sectionEmergency", keys: ["emergency"] },
  tickets: { title: "sectionTickets", keys: ["autoCloseHours", "guestsAllowed"] },
  origins: { title: "sectionOrigins", keys: ["allowedOrigins"] },
  mail: { title: "sectionMail", keys: ["email"] },
} as const satisfies Record<string, { title: AdminKey; keys: readonly string[] }>;
type SectionKey = keyof typeof SECTIONS;

/** What the status line of a section or action says. */
interface Status {
  text: string;
  bad?: boolean;
}

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The tenant's own settings, for its admins (`GET`/`PATCH /settings`, docs/console.md): brand,
 * hours and holidays with a preview of the next openings, departments and their fields, guidance,
 * emergencies and on-call (with a test page), auto-close, guests, allowed origins, mail identity,
 * the embed secrets (a new one shown once, never again), and the event webhooks' endpoints. Each section is saved on its own;
 * the server's field errors are shown at their fields. The console shows it in its Settings tab
 * with its session; a page may also use it alone with `api`, `tenant` and `tokenProvider`.
 *
 * @prop {Session} session - The console's session: client, strings, who is signed in
 * @attr api - Standalone only: the Edgedesk origin
 * @attr tenant - Standalone only: the tenant id
 * @attr lang - Standalone only: the language (en, ru)
 * @prop {() => Promise<string>} tokenProvider - Standalone only: returns an admin's embed token
 */
export class EdgedeskConsoleSettings extends AdminScreen {
  static override styles = [theme, adminStyles];
  static override properties = {
    draft: { state: true },
    errors: { state: true },
    statuses: { state: true },
    pendingWebhookSecret: { state: true },
    webhookSecretSet: { state: true },
    savedContacts: { state: true },
    providerControlled: { state: true },
    openings: { state: true },
  };

  declare draft: Bag | undefined;
  declare errors: Map<string, string>;
  declare statuses: Partial<Record<string, Status>>;
  declare pendingWebhookSecret: string | undefined;
  declare webhookSecretSet: boolean | undefined;
  declare savedContacts: AlertContact[];
  /** Parts of the config only the provider sets (e.g. limits), shown as a note. */
  declare providerControlled: string[];
  declare openings: Openings | undefined;

  /** The calendar (time zone, hours, holidays) the openings preview was last asked for. */
  #previewed = "";
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #secrets = new SecretsPanel(this, (key, params) => this.say(key, params));
  readonly #notice = new StatusNoticePanel(
    this,
    (key, params) => this.say(key, params),
    (text) => this.#secrets.copyButton(text),
  );
  readonly #webhooks = new WebhooksPanel(
    this,
    (key, params) => this.say(key, params),
    (text) => this.#secrets.copyButton(text),
  );

  constructor() {
    super();
    this.errors = new Map();
    this.statuses = {};
    this.savedContacts = [];
    this.providerControlled = [];
  }

  protected override updated(): void {
    const draft = this.draft;
    if (!draft) return;
    const calendar = JSON.stringify({ timeZone: draft.timeZone, hours: draft.hours, holidays: draft.holidays });
    if (calendar === this.#previewed) return;
    this.#previewed = calendar;
    clearTimeout(this.#previewTimer);
    this.#previewTimer = setTimeout(() => void this.#previewOpenings(calendar), 300);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#previewTimer);
  }

  /** Asks the server for the next openings of the calendar as edited (`POST /settings/openings`; saves nothing). */
  async #previewOpenings(calendar: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    const res = await session.call<{ openings: { opensAt: string; closesAt: string | null }[] }>(
      "POST",
      "/settings/openings",
      { ...(JSON.parse(calendar) as Bag), count: 5 },
    );
    if (calendar !== this.#previewed) return; // edited meanwhile: a newer preview is on its way
    this.openings = res.ok
      ? { spans: res.value.openings }
      : {
          problems: res.problem.errors.length
            ? res.problem.errors.map((e) => `${e.path}: ${e.message}`)
            : [res.problem.detail],
        };
  }

  /** Reads the settings afresh; unsaved edits are dropped. */
  override async load(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.loadFailed = false;
    void this.#notice.load();
    void this.#webhooks.load();
    const res = await session.call<{ settings: Bag }>("GET", "/settings", undefined, { retry: () => void this.load() });
    if (!res.ok) {
      this.loadFailed = true;
      return;
    }
    this.#take(res.value.settings, Object.keys(SECTIONS) as SectionKey[]);
  }

  /** Takes the server's settings for `sections` into the draft (all of them on load). */
  #take(settings: Bag | undefined, sections: SectionKey[]): void {
    if (!settings) return;
    const config = (
      typeof settings.config === "object" && settings.config !== null ? settings.config : settings
    ) as Bag;
    const draft = this.draft ?? {};
    // The desk's name sits beside the config; the rest is config.
    for (const section of sections)
      for (const key of SECTIONS[section].keys) draft[key] = clone(key === "name" ? settings.name : config[key]);
    this.draft = { ...draft };
    if (Array.isArray(settings.secrets)) this.#secrets.secrets = settings.secrets as SecretInfo[];
    if (Array.isArray(settings.providerControlled)) this.providerControlled = settings.providerControlled.map(String);
    if (typeof settings.webhookSecretSet === "boolean") this.webhookSecretSet = settings.webhookSecretSet;
    if (sections.includes("emergency"))
      this.savedContacts = clone(((config.emergency ?? {}) as { contacts?: AlertContact[] }).contacts ?? []);
  }

  #section(key: SectionKey, body: TemplateResult): TemplateResult {
    const status = this.statuses[key];
    const saving = status?.text === this.say("saving");
    return html`<form class="section" id="section-${key}" aria-labelledby="title-${key}" novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.save(key);
      }}>
      <h3 id="title-${key}" tabindex="-1">${this.say(SECTIONS[key].title)}</h3>
      ${body}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${saving}>${this.say("save")}</button>
        <p class="status ${status?.bad ? "bad" : ""}" role="status">${status?.text ?? ""}</p>
      </div>
    </form>`;
  }

  #setStatus(key: string, status: Status | undefined): void {
    this.statuses = { ...this.statuses, [key]: status };
  }

  /** PATCHes one section's settings; field errors go next to their fields, nothing else changes. */
  async save(key: SectionKey): Promise<void> {
    const session = this.session;
    const draft = this.draft;
    if (!session || !draft) return;
    const keys: readonly string[] = SECTIONS[key].keys;
    const part = Object.fromEntries(keys.filter((k) => draft[k] !== undefined).map((k) => [k, draft[k]]));
    this.#setStatus(key, { text: this.say("saving") });
    // Each part given replaces that part whole; parts left out stay as they are.
    const res: Result<{ settings?: Bag }> = await session.call("PATCH", "/settings", part);
    const errors = new Map([...this.errors].filter(([path]) => !keys.includes(path.split(".")[0] ?? "")));
    if (res.ok) {
      this.errors = errors;
      this.#take(res.value.settings, [key]);
      if (key === "emergency" && res.value.settings) this.pendingWebhookSecret = undefined;
      this.#setStatus(key, { text: this.say("saved") });
      session.announce(this.say("saved"));
      return;
    }
    for (const e of res.problem.errors) errors.set(e.path.replace(/^config\./, ""), e.message);
    this.errors = errors;
    this.#setStatus(key, this.#failure(res.problem));
    if (res.problem.errors.length) {
      await this.updateComplete;
      const invalid = this.renderRoot.querySelector<HTMLElement>(`#section-${key} [aria-invalid="true"]`);
      invalid?.focus();
      // An error no field of the section shows: said in the section's status instead.
      if (!this.renderRoot.querySelector(`#section-${key} .error`)) {
        const detail = res.problem.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
        this.#setStatus(key, { bad: true, text: this.say("notSaved", { detail }) });
      }
    }
  }

  #failure(problem: ApiProblem): Status {
    return {
      bad: true,
      text: problem.errors.length ? this.say("fixErrors") : this.say("notSaved", { detail: problem.detail }),
    };
  }

  /** Pages saved contact `index` once, as a test (`POST /settings/test-page`), and says how it went. */
  async #testPage(index: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    const key = `testPage${index}`;
    this.#setStatus(key, { text: this.say("testPageSending") });
    const res = await session.call<{ contact: { name: string }; delivered: boolean; error: string | null }>(
      "POST",
      "/settings/test-page",
      { contact: index },
    );
    this.#setStatus(
      key,
      !res.ok
        ? { bad: true, text: this.say("testPageFailed", { detail: res.problem.detail }) }
        : res.value.delivered
          ? { text: this.say("testPageSent", { name: res.value.contact.name }) }
          : { bad: true, text: this.say("testPageFailed", { detail: res.value.error ?? "" }) },
    );
  }

  protected override render(): TemplateResult {
    const session = this.session;
    const say = this.say;
    const notice = this.ownNotice();
    if (!session || !this.draft)
      return html`${notice}<h2>${say("settingsTitle")}</h2>${
        this.loadFailed
          ? html`<p>${say("loadFailed")}</p><button type="button" @click=${() => void this.load()}>${say("retry")}</button>`
          : html`<p role="status">${say("loading")}</p>`
      }`;
    const locale = session.t.locale;
    const kit = new FormKit(
      this.draft,
      this.errors,
      (n, message) => say("lineError", { n, message }),
      () => this.requestUpdate(),
    );
    const sectionKeys = [...(Object.keys(SECTIONS) as SectionKey[]), "status", "secrets", "webhooks"] as const;
    return html`${notice}
      <h2>${say("settingsTitle")}</h2>
      <p class="hint">${say("settingsIntro")}</p>
      ${
        this.providerControlled.length
          ? html`<p class="hint">${say("providerControlled", { parts: this.providerControlled.join(", ") })}</p>`
          : nothing
      }
      <nav class="sections" aria-label=${say("settingsTitle")}>
        ${sectionKeys.map(
          (k) =>
            html`<button type="button" @click=${() => {
              const heading = this.renderRoot.querySelector<HTMLElement>(`#title-${k}`);
              heading?.scrollIntoView({ block: "start" });
              heading?.focus();
            }}>${say(k === "secrets" ? "sectionSecrets" : k === "status" ? "sectionStatus" : k === "webhooks" ? "sectionWebhooks" : SECTIONS[k].title)}</button>`,
        )}
      </nav>
      ${this.#section("brand", brandSection(kit, say, locale))}
      ${this.#section("hours", hoursSection(kit, say, locale, this.openings))}
      ${this.#section("departments", departmentsSection(kit, say))}
      ${this.#section("guidance", guidanceSection(kit, say))}
      ${this.#section(
        "emergency",
        emergencySection(kit, say, {
          priorityLabel: (p: Priority) => session.t.msg(`priority_${p}`),
          pendingSecret: this.pendingWebhookSecret,
          secretSet: this.webhookSecretSet,
          newWebhookSecret: () => {
            this.pendingWebhookSecret = randomSecret();
            kit.set("emergency.webhookSecret", this.pendingWebhookSecret);
          },
          savedContacts: this.savedContacts,
          testPage: (index) => void this.#testPage(index),
          testPageStatus: (index) => {
            const status = this.statuses[`testPage${index}`];
            return status
              ? html`<p class="status ${status.bad ? "bad" : ""}" role="status">${status.text}</p>`
              : nothing;
          },
          copy: (text) => this.#secrets.copyButton(text),
        }),
      )}
      ${this.#section("tickets", ticketsSection(kit, say))}
      ${this.#section("origins", originsSection(kit, say))}
      ${this.#section("mail", mailSection(kit, say))}
      ${this.#notice.render()}
      ${this.#secrets.render()}
      ${this.#webhooks.render()}`;
  }
}

if (!customElements.get("edgedesk-console-settings"))
  customElements.define("edgedesk-console-settings", EdgedeskConsoleSettings);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-console-settings": EdgedeskConsoleSettings;
  }
}
