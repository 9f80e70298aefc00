import type { Context, MiddlewareHandler } from "hono";

/**
 * The headers of every HTML page the Worker serves (API docs, alert acknowledgement, demo pages):
 * a Content-Security-Policy that starts from `default-src 'none'` and allows only what the page
 * declares, no framing, no referrer, no sniffing. `pageHeaders()` runs on every response, so a
 * page that declares nothing gets the strictest policy rather than none.
 */

/** What a page needs beyond nothing: its inline `<script>` and `<style>` texts (allowed by hash), and more. */
export interface PageNeeds {
  /** Texts of inline `<script>` elements, exactly as in the page. */
  inlineScripts?: string[];
  /** Texts of inline `<style>` elements, exactly as in the page. */
  inlineStyles?: string[];
  /** Scripts loaded from this origin (`<script src>`, `import()`). */
  sameOriginScripts?: boolean;
  /** `fetch()` to this origin. */
  sameOriginFetch?: boolean;
  /** Images from this origin and `blob:` previews. */
  images?: boolean;
  /** `style="…"` attributes in markup (the widget's templates use a few). */
  styleAttributes?: boolean;
  /** Forms posting to this origin. */
  forms?: boolean;
}

/** The policy a page gets when it declares nothing: it may load, run and frame nothing. */
export const STRICTEST_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function sha256Source(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

/** The Content-Security-Policy for a page with these needs: `default-src 'none'` plus exactly them. */
export async function contentSecurityPolicy(needs: PageNeeds): Promise<string> {
  const scripts = await Promise.all((needs.inlineScripts ?? []).map(sha256Source));
  const styles = await Promise.all((needs.inlineStyles ?? []).map(sha256Source));
  if (needs.sameOriginScripts) scripts.unshift("'self'");
  const directives = ["default-src 'none'"];
  if (scripts.length) directives.push(`script-src ${scripts.join(" ")}`);
  if (styles.length) directives.push(`style-src ${styles.join(" ")}`);
  if (needs.styleAttributes) directives.push("style-src-attr 'unsafe-inline'");
  if (needs.sameOriginFetch) directives.push("connect-src 'self'");
  if (needs.images) directives.push("img-src 'self' blob:");
  directives.push("base-uri 'none'", `form-action ${needs.forms ? "'self'" : "'none'"}`, "frame-ancestors 'none'");
  return directives.join("; ");
}

/** Answers with an HTML page and the policy for what it needs. */
export async function sendPage(c: Context, page: Parameters<Context["html"]>[0], needs: PageNeeds): Promise<Response> {
  c.header("Content-Security-Policy", await contentSecurityPolicy(needs));
  return c.html(await page);
}

/** Sets the page headers on every HTML response; one without a policy of its own gets the strictest. */
export function pageHeaders(): MiddlewareHandler {
  return async function pageHeadersMiddleware(c, next) {
    await next();
    if (!/^text\/html\b/i.test(c.res.headers.get("content-type") ?? "")) return;
    if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", STRICTEST_POLICY);
    c.res.headers.set("X-Frame-Options", "DENY");
    c.res.headers.set("Referrer-Policy", "no-referrer");
    c.res.headers.set("X-Content-Type-Options", "nosniff");
  };
}
