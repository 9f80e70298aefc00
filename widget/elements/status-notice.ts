import { css, html, nothing, type TemplateResult } from "lit";
import type { Messages } from "../i18n";
import type { PublicConfig } from "../types";

/**
 * The tenant's maintenance / incident notice ("Known issue: mail delays on vps7 — no need to file
 * a ticket"), as `/config` carries it: only while it is showing. Drawn by <edgedesk-tickets> above
 * its views and by the form under its heading; its severity is in words, the colour only repeats it.
 */
export function statusNotice(config: PublicConfig | undefined, t: Messages): TemplateResult | typeof nothing {
  const n = config?.statusNotice;
  // A page left open past the end stops showing it at its next render.
  if (!n || (n.endsAt && Date.parse(n.endsAt) <= Date.now())) return nothing;
  return html`<div part="status-notice" class="notice status ${n.severity}" role="status"><strong>${t.msg(`notice_${n.severity}`)}</strong> ${n.text}${n.affects.length ? ` (${n.affects.join(", ")})` : ""}${n.endsAt ? `, ${t.msg("noticeUntil", { when: t.dateTime(n.endsAt) })}` : ""}</div>`;
}

/** In <edgedesk-tickets>' stylesheet, which the form shares: the severity from the theme's tokens. */
export const statusStyles = css`
  .status { border-inline-start: 4px solid var(--_accent); }
  .status.incident { border-color: var(--_danger); }
`;
