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
  const id = `notice-${at?.key}`;
  if (n.ok) return html`<p class="notice ok" id=${id}>${n.text}</p>`;
  return html`<div class="notice bad" role="alert" id=${id} tabindex="-1">${n.text}
    ${n.retry ? html`<button part="button" type="button" @click=${n.retry}>${session.t.msg("retry")}</button>` : nothing}</div>`;
}

/**
 * Characters left, shown from 80% of `max` on (past it, the limit, as the check before sending
 * says it): the id for the field's aria-describedby, and the line.
 */
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
    html`<p class=${over ? "error" : "hint"} id=${id}>${over ? t.msg("tooLong", { n: max }) : t.msg("charsLeft", { n: max - length })}</p>`,
  ];
}
