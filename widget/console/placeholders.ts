/** What a canned reply's placeholders stand for (docs/console.md: the console fills them itself). */
export interface PlaceholderValues {
  customerName: string;
  ticketNumber: number;
  agentName: string;
  tenantName: string;
}

/**
 * A canned reply's body with `{{customer.name}}`, `{{ticket.number}}`, `{{agent.name}}` and
 * `{{tenant.name}}` filled in, for the agent to edit before sending. Spaces inside the braces are
 * allowed; anything else in braces is left as written (the server refuses it when saving).
 */
export function fillPlaceholders(body: string, v: PlaceholderValues): string {
  const values: Record<string, string> = {
    "customer.name": v.customerName,
    "ticket.number": String(v.ticketNumber),
    "agent.name": v.agentName,
    "tenant.name": v.tenantName,
  };
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
