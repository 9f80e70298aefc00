import type { LitElement, ReactiveControllerHost } from "lit";
import { ApiProblem, Client, type Credentials, tokenClaims } from "./api";
import { EdgedeskErrorEvent } from "./events";
import { type Locale, loadLocale, Messages } from "./i18n";
import type { PublicConfig } from "./types";

/**
 * What an element's session starts from (`api`, `tenant`, the credentials, `lang`): a change to any
 * of them, at any time and in any order, starts it again. Properties a page set before the
 * element's class was defined are kept (Lit's ReactiveElement does the "upgrade property" step
 * for every declared property), so they count from the first update on.
 */
export const SESSION_INPUTS = ["api", "tenant", "token", "tokenProvider", "lang"] as const;

/** A request's outcome: the answer, or the problem (already reported, see `Session.call`). */
export type Result<T> = { ok: true; value: T } | { ok: false; problem: ApiProblem };

/**
 * A failure, or a confirmation, shown until the next request or view: above the views, or at a
 * place of a view, beside the control it is about. `retry` sends the request again.
 */
export interface Notice {
  text: string;
  retry?: (() => void) | undefined;
  at?: Place | undefined;
  ok?: boolean;
}

/**
 * A place in a view where a notice shows (the view draws it there with `noticeAt`, notice.ts):
 * the view, and which of its places (`"reply"`, `"submit"`, …).
 */
export interface Place {
  view: Pick<LitElement, "requestUpdate" | "updateComplete" | "renderRoot">;
  key: string;
}

/**
 * The element a session belongs to: it renders the notice and the live region (the session asks
 * it to update when they change), and `edgedesk-error` is fired on it. A LitElement is one.
 */
export type SessionHost = Pick<ReactiveControllerHost, "requestUpdate"> & EventTarget;

/**
 * What the views of an element share, handed to each as a `.session` property: who the person is
 * (a token, a token provider or a guest's key), the API client, the strings in the person's
 * language, the tenant's config, and one way to make a request, `call()`. No view reads or writes
 * the element that shows it; whatever they must tell it goes through here or through events.
 */
export class Session {
  api = "";
  tenant = "";
  /** A host-signed embed token. */
  token: string | undefined;
  /** Asked for a fresh token at start and whenever the current one is refused. */
  tokenProvider: (() => Promise<string>) | undefined;
  /** A guest's ticket key: what a guest's requests carry instead of a token. */
  guestKey: string | undefined;
  readonly client: Client = new Client(this);
  t = new Messages("en");
  config: PublicConfig | undefined;
  notice: Notice | undefined;
  /** What the live region says. */
  announcement = "";
  /** The token the requests carry, once asked for. */
  #current: string | undefined;
  /** The token provider's answer on its way. */
  #asking: Promise<string> | undefined;
  /** Starts so far: a start that another one overtook drops what it loaded. */
  #runs = 0;

  readonly #host: SessionHost;

  constructor(host: SessionHost) {
    this.#host = host;
  }

  /** Not signed in: no token, and nobody to ask for one. */
  get guest(): boolean {
    return !this.token && !this.tokenProvider;
  }

  /** Who is signed in, as the token says (read, not verified: the server verifies). */
  get person(): ReturnType<typeof tokenClaims> | undefined {
    return this.#current ? tokenClaims(this.#current) : undefined;
  }

  /**
   * Starts, or starts again, for the current `api`, `tenant` and credentials: forgets the config
   * and the token of before, loads the strings of `locale` and the tenant's config; views show
   * once `config` is set. Views keep drafts per person, so who it is is known by then: a signed-in
   * person's first token is asked for too (a failing token provider is reported by the first
   * request that needs one). A start overtaken by a later one drops what it loaded. A failed
   * config is the notice, with `retry` (by default, this again) as its button.
   */
  async start(locale: Locale, retry = () => void this.start(locale)): Promise<void> {
    const run = ++this.#runs;
    this.config = undefined;
    this.#current = this.#asking = undefined;
    this.#host.requestUpdate();
    await loadLocale(locale);
    if (run !== this.#runs) return;
    this.t = new Messages(locale);
    const [config] = await Promise.all([
      this.call<PublicConfig>("GET", "/config", undefined, { retry }),
      this.guest ? undefined : this.credentials(false).catch(() => undefined),
    ]);
    if (run !== this.#runs) return;
    if (config.ok) this.config = config.value;
    this.#host.requestUpdate();
  }

  /** The credentials for the next request; `refresh` asks the token provider again. Used by the client. */
  async credentials(refresh: boolean): Promise<Credentials> {
    if (this.guestKey && this.guest) return { kind: "key", key: this.guestKey };
    const ask = this.tokenProvider;
    let token = this.#current;
    if (ask && (refresh || !token)) {
      // One question at a time: the requests that need a token meanwhile wait for the same answer.
      this.#asking ??= ask();
      const asking = this.#asking;
      try {
        token = await asking;
      } finally {
        if (this.#asking === asking) this.#asking = undefined;
      }
      // A provider replaced meanwhile (the session started again) does not speak for the person any more.
      if (ask === this.tokenProvider) this.#current = token;
    } else if (!token) token = this.#current = this.token;
    return token ? { kind: "token", token } : { kind: "none" };
  }

  /**
   * Sends a request (the client refreshes a refused token once). A failure is fired as
   * `edgedesk-error` and, unless it is about fields (which the caller shows at the fields),
   * shown as the notice, with a button for `retry` if given: above the views, or `at` a place
   * of the view that sent it (beside the button that failed, which is where the person looks).
   */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; retry?: () => void; at?: Place } = {},
  ): Promise<Result<T>> {
    this.notice = undefined;
    this.#host.requestUpdate();
    try {
      return { ok: true, value: await this.client.request<T>(method, path, body, options.headers) };
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem(0, "network", String(error));
      this.#host.dispatchEvent(new EdgedeskErrorEvent(problem));
      if (!problem.errors.length) {
        const text = problem.isNetwork
          ? this.t.msg("networkError")
          : problem.status === 401
            ? this.t.msg("sessionExpired")
            : problem.retryAfter
              ? this.t.msg("tooManyRequests", { seconds: problem.retryAfter })
              : this.t.msg("genericError", { detail: problem.detail });
        this.report(text, options.retry, options.at);
      }
      return { ok: false, problem };
    }
  }

  /**
   * Shows the failure `text` (with a button for `retry`, if given) above the views, and says it;
   * or `at` a place, in view, and moves focus there (to its Retry): its role="alert" says it.
   */
  report(text: string, retry?: () => void, at?: Place): void {
    this.notice = { text, retry, at };
    if (at) this.#show(at, true);
    else this.announce(text);
  }

  /** Shows that something worked (a reply sent, a vote saved) `at` a place of a view, in view, and says it. */
  confirm(text: string, at: Place): void {
    this.notice = { text, at, ok: true };
    this.#show(at);
    this.announce(text);
  }

  /** Scrolls the notice at `at` into view once its view has drawn it, and with `focus` moves focus to it. */
  #show(at: Place, focus?: boolean): void {
    at.view.requestUpdate();
    void at.view.updateComplete.then(() => {
      const box = at.view.renderRoot.querySelector<HTMLElement>(`[id="notice-${at.key}"]`);
      box?.scrollIntoView({ block: "nearest" });
      if (focus) (box?.querySelector("button") ?? box)?.focus();
    });
  }

  /** Says `text` in the live region. */
  announce(text: string): void {
    // Cleared first, so that screen readers repeat an identical message.
    this.announcement = "";
    this.#host.requestUpdate();
    requestAnimationFrame(() => {
      this.announcement = text;
      this.#host.requestUpdate();
    });
  }
}

// Drafts: the on-demand views (form, thread, attachments) keep theirs here, in the first view's
// module, rather than in a chunk of their own that each would fetch one round trip after itself.

/**
 * Drafts live in localStorage until they are sent, so a reload or a failed request loses
 * nothing. Storage may be unavailable (private mode, blocked cookies): then drafts are simply
 * not kept, and nothing breaks.
 */
export function loadDraft<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or unavailable: the draft is only kept in memory
  }
}

export function clearDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing to clear
  }
}
