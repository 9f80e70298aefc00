import { html, type TemplateResult } from "lit";
import type { Messages } from "../i18n";
import type { MessageKey } from "../locales/en";
import type { Status, TicketView } from "../types";

/** A ticket's status as a badge, as the list and the thread show it (styled by the theme). */
export function statusBadge(t: Messages, status: Status): TemplateResult {
  return html`<span part="badge" class="badge s-${status}">${t.msg(`status_${status}`)}</span>`;
}

const EXPECTATIONS = {
  business_hours: "expectBusinessHours",
  on_call: "expectOnCall",
  next_morning: "expectNextMorning",
  next_business_day: "expectNextBusinessDay",
} as const satisfies Record<NonNullable<TicketView["expectedResponse"]>["kind"], MessageKey>;

/** When the person can expect an answer to an open ticket, in words; empty when the API does not say. */
export function expectation(t: Messages, ticket: TicketView): string {
  const e = ticket.expectedResponse;
  const opensAt = e?.kind === "next_business_day" && e.opensAt;
  return e ? t.msg(EXPECTATIONS[e.kind], { when: opensAt ? t.dateTime(opensAt, "long") : "" }) : "";
}
