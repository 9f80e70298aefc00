/**
 * Canned-reply placeholders, shared by the Worker (which refuses unknown ones when a canned reply
 * is saved) and the console (which fills them before the agent edits and sends). Pure: no imports,
 * so the widget's bundle takes only this file.
 */

/** The placeholders a canned reply may use, by name. */
export const PLACEHOLDERS = ["customer.name", "ticket.number", "agent.name", "tenant.name"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The values to put in, by placeholder. */
export type PlaceholderValues = Record<Placeholder, string>;

/** `{{ name }}`: braces around anything but braces, spaces around the name allowed. */
const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

const known = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);

/** The placeholders in `body` that are not one of PLACEHOLDERS, each once, in order of appearance. */
export function unknownPlaceholders(body: string): string[] {
  const found: string[] = [];
  for (const match of body.matchAll(PATTERN)) {
    const name = match[1] ?? "";
    if (!known(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/** `body` with every known placeholder replaced by its value; anything else is left as written. */
export function fillPlaceholders(body: string, values: PlaceholderValues): string {
  return body.replace(PATTERN, (whole, name: string) => (known(name) ? values[name] : whole));
}
