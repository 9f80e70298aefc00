/**
 * The page URL's hash read as parameters (`#edgedesk=ticket/…&edgedesk-key=…`, the console's
 * `#view=open&ticket=…`): where the elements keep their place, so that Back, a reload and a pasted
 * link land where the person was. Each element owns its own parameters and keeps the others'.
 */
export function hashParams(hash: string = location.hash): URLSearchParams {
  return new URLSearchParams(hash.replace(/^#/, ""));
}

/** The page's hash with `changes` made (an empty value removes its parameter), the other parameters kept. */
export function hashWith(changes: Record<string, string>): string {
  const params = hashParams();
  for (const [name, value] of Object.entries(changes)) value ? params.set(name, value) : params.delete(name);
  // `/` needs no escaping in a fragment: `#edgedesk=ticket/…` reads better than `ticket%2F…`.
  return `#${params.toString().replace(/%2F/g, "/")}`;
}
