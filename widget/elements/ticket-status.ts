import { html, type TemplateResult } from "lit";
import type { Messages } from "../i18n";
import type { Status, TicketView } from "../types";

/** A ticket's status as a badge, as the list and the thread show it (styled by the theme). */
export function statusBadge(t: Messages, status: Status): TemplateResult {
  return html`<span part="badge" class="badge s-${status}">${t.msg(`status_${status}`)}</span>`;
}

/** When the person can expect an answer to an open ticket, in words; empty when the API does not say. */
export function expectation(t: Messages, ticket: TicketView): string {
  const e = ticket.expectedResponse;
  if (!e) return "";
  switch (e.kind) {
    case "business_hours":
      return t.msg("expectBusinessHours");
    case "on_call":
      return t.msg("expectOnCall");
    case "next_morning":
      return t.msg("expectNextMorning");
    case "next_business_day":
      return t.msg("expectNextBusinessDay", { when: e.opensAt ? t.dateTime(e.opensAt, "long") : "" });
  }
}
