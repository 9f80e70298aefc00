import type { Problem } from "../worker/errors";

/** A failed call, as the person should hear about it: the server's problem, or "network". */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { path: string; message: string }[] = [],
    /** Seconds to wait before trying again, from a 429's Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(detail);
  }

  get isNetwork(): boolean {
    return this.code === "network";
  }
}

export type Credentials = { kind: "token"; token: string } | { kind: "key"; key: string } | { kind: "none" };

export interface ClientOptions {
  api: string;
  tenant: string;
  /** Current credentials; `refresh` asks the host panel for a fresh token. */
  credentials: (refresh: boolean) => Promise<Credentials>;
}

/** The header that carries a D1 bookmark both ways (worker/middleware/d1-session.ts). */
const BOOKMARK = "x-d1-bookmark";

/**
 * The widget's only way to the API: JSON in, JSON or ApiProblem out; one token refresh on 401.
 * It sends back the newest D1 bookmark it was given, so the person's reads, wherever served,
 * always include their own writes; kept for the tab's session, so a reload does too.
 */
export class Client {
  constructor(readonly options: ClientOptions) {}

  /** Keeps `seen` if it is newer than the bookmark kept; returns the one kept (null when storage is refused). */
  #bookmark(seen?: string | null): string | null {
    try {
      const key = `edgedesk:bookmark:${this.options.api}:${this.options.tenant}`;
      if (seen && seen > (sessionStorage.getItem(key) ?? "")) sessionStorage.setItem(key, seen);
      return sessionStorage.getItem(key);
    } catch {
      // Storage refused (private mode, a sandboxed frame): reads simply start anywhere.
      return null;
    }
  }

  url(path: string): string {
    return `${this.options.api.replace(/\/$/, "")}/api/v1/${encodeURIComponent(this.options.tenant)}${path}`;
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let refreshed = false;
    for (;;) {
      const credentials = await this.options.credentials(refreshed);
      const res = await this.#send(method, path, body, headers, credentials);
      // An expired token: ask the host panel for a new one, once, and try again.
      if (res.status === 401 && credentials.kind === "token" && !refreshed) {
        refreshed = true;
        continue;
      }
      this.#bookmark(res.headers.get(BOOKMARK));
      const text = await res.text();
      const data: unknown = text ? safeJson(text) : null;
      if (!res.ok) throw problemOf(res.status, data, res.headers.get("retry-after"));
      return data as T;
    }
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    extra: Record<string, string>,
    credentials: Credentials,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...extra };
    if (body !== undefined) headers["content-type"] = "application/json";
    const auth = authorization(credentials);
    if (auth) headers.authorization = auth;
    const bookmark = this.#bookmark();
    if (bookmark) headers[BOOKMARK] = bookmark;
    try {
      return await fetch(this.url(path), {
        method,
        headers,
        credentials: "omit",
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiProblem(0, "network", "network");
    }
  }
}

/** The Authorization header for a set of credentials, if any. */
export function authorization(credentials: Credentials): string | undefined {
  return credentials.kind === "token"
    ? `Bearer ${credentials.token}`
    : credentials.kind === "key"
      ? `Key ${credentials.key}`
      : undefined;
}

/** A refused request's problem+json body (or whatever came instead) as an ApiProblem. */
export function problemOf(status: number, data: unknown, retryAfter: string | null = null): ApiProblem {
  const p = (data ?? {}) as Partial<Problem>;
  // Seconds only (what the Worker sends); an HTTP date or nothing reads as NaN or 0: no hint.
  return new ApiProblem(
    status,
    p.code ?? "http_error",
    p.detail ?? `HTTP ${status}`,
    p.errors ?? [],
    Number(retryAfter) || undefined,
  );
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The user's services and name, read (not verified) from the token the host panel gave us. */
export function tokenClaims(token: string): {
  sub?: string;
  name?: string;
  services?: { id: string; label: string }[];
} {
  try {
    const part = token.split(".")[1] ?? "";
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as ReturnType<typeof tokenClaims>;
  } catch {
    return {};
  }
}
