import { html, nothing, type TemplateResult } from "lit";
import type { Messages } from "../i18n";
import type { Place, Session } from "../session";

/** The server's limits on what a person writes (worker/schemas/ticket.ts), shown as they type. */
export const SUBJECT_MAX = 200;
export const MESSAGE_MAX = 20_000;

/**
 * The session's notice, if it belongs `at` this place (above the views when unset): a failure
 * with its Retry button, or a confirmation. The one way every view shows them.
 */
export function noticeAt(session: Session, at?: Place): TemplateResult | typeof nothing {
  const n = session.notice;
  if (!n || n.at?.view !== at?.view || n.at?.key !== at?.key) return nothing;
  if (n.ok) return html`<p class="notice ok">${n.text}</p>`;
  const id = `notice-${at?.key ?? "frame"}`;
  return html`<div class="notice bad" role="alert" id=${id} tabindex="-1">${n.text}
    ${n.retry ? html`<button part="button" type="button" @click=${n.retry}>${session.t.msg("retry")}</button>` : nothing}</div>`;
}

/** Characters left (or over), shown from 80% of `max` on: the id for the field's aria-describedby, and the line. */
export function counter(
  t: Messages,
  id: string,
  length: number,
  max: number,
): [string, TemplateResult | typeof nothing] {
  if (length < max * 0.8) return ["", nothing];
  const over = length > max;
  return [
    id,
    html`<p class="counter ${over ? "over" : ""}" id=${id}>${t.msg(over ? "charsOver" : "charsLeft", { n: Math.abs(max - length) })}</p>`,
  ];
}
