import { LitElement, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from "lit";
import { noticeAt } from "../elements/notice";
import { pickLocale } from "../i18n";
import { Session } from "../session";
import { type AdminCatalogue, type AdminKey, adminMsg, enAdmin, loadAdminText } from "./admin-text";

/**
 * What the console's admin screens (<edgedesk-console-settings>, <edgedesk-canned-replies>)
 * share: the console's session, or one of their own when a page uses them alone (`api`,
 * `tenant`, `lang`, `tokenProvider`, as <edgedesk-tickets> makes one); their strings, loaded for
 * the session's language; and loading what they show once per session (`load()`).
 */
export abstract class AdminScreen extends LitElement {
  // Each screen adds its own; Lit merges them with these.
  static override properties: PropertyDeclarations = {
    session: { attribute: false },
    api: {},
    tenant: {},
    lang: {},
    text: { state: true },
    loadFailed: { state: true },
  };

  declare session: Session | undefined;
  declare api: string;
  declare tenant: string;
  declare lang: string;
  declare text: AdminCatalogue;
  declare loadFailed: boolean;
  tokenProvider: (() => Promise<string>) | undefined;

  #loadedFor: Session | undefined;
  /** The language `text` is for (or on its way in). */
  #textLocale = "en";
  /** Standalone: the session is this element's own, so the element shows its notice itself. */
  #ownSession = false;

  constructor() {
    super();
    this.api = "";
    this.tenant = "";
    this.lang = "";
    this.text = enAdmin;
    this.loadFailed = false;
  }

  /** Reads what the screen shows; called once the session is there, and again for a new session. */
  abstract load(): Promise<void>;

  /** `key`'s string in the screen's language. */
  protected readonly say = (key: AdminKey, params: Record<string, string | number> = {}): string =>
    adminMsg(this.text, key, params);

  /** Signed in as an admin of the desk (read from the token; the server decides). */
  protected get isAdmin(): boolean {
    return (this.session?.person as { role?: string } | undefined)?.role === "admin";
  }

  /** A standalone screen's failure notice (in the console, the console shows it). */
  protected ownNotice(): TemplateResult | typeof nothing {
    return this.#ownSession && this.session ? noticeAt(this.session) : nothing;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.session && this.api && this.tenant) {
      const session = new Session(this);
      Object.assign(session, { api: this.api, tenant: this.tenant, tokenProvider: this.tokenProvider });
      this.#ownSession = true;
      this.session = session;
      void session.start(pickLocale(this.lang || document.documentElement.lang || navigator.language));
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const session = this.session;
    if (!session) return;
    const locale = session.t.locale;
    if (locale !== this.#textLocale) {
      this.#textLocale = locale;
      void loadAdminText(locale).then((text) => {
        this.text = text;
      });
    }
    if (changed.has("session") || this.#loadedFor !== session) {
      this.#loadedFor = session;
      void this.load();
    }
  }
}
