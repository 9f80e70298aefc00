import { html, nothing, type TemplateResult } from "lit";
import type { ConsoleText } from "../console/text";
import type { Messages } from "../i18n";
import type { HistoryView, MessageView, TicketDetail } from "../types";

/** What the staff reply box does after sending: a reply sets Answered, or On hold (with a reason), or Closed. */
export type ReplyAfter = "answered" | "on_hold" | "closed";
export type ReplyMode = "reply" | "note";

/** "3 of 4 found this helpful" on a staff reply that customers voted on. */
export function feedbackCounts(staff: ConsoleText, m: MessageView): TemplateResult | typeof nothing {
  const helpful = m.feedback?.helpful ?? 0;
  const total = helpful + (m.feedback?.notHelpful ?? 0);
  return total ? html`<p class="hint counts">${staff.msg("helpfulCounts", { n: helpful, m: total })}</p>` : nothing;
}

/** A history entry's value in words: statuses and priorities translated, agents and departments by name. */
function value(t: Messages, staff: ConsoleText, field: HistoryView["field"], v: string | null): string {
  if (v === null || v === "") return "—";
  if (field === "status") return t.msg(`status_${v as "open"}`);
  if (field === "priority") return t.msg(`priority_${v as "low"}`);
  return staff.names[v] ?? v;
}

/** Every change of the ticket (status, priority, department, assignee), who made it and why. */
export function staffHistory(t: Messages, staff: ConsoleText, history: HistoryView[]): TemplateResult[] {
  return history.map(
    (h) => html`<li><time datetime=${h.createdAt}>${t.dateTime(h.createdAt)}</time> ·
      ${staff.msg("historyLine", {
        field: staff.msg(`field_${h.field}`),
        from: value(t, staff, h.field, h.from),
        to: value(t, staff, h.field, h.to),
        actor: h.actor.name,
      })}${h.reason ? html`<br><span class="hint">${staff.msg("historyReason", { reason: h.reason })}</span>` : nothing}</li>`,
  );
}

/** The staff reply box's choices: reply or note; for a reply, what the ticket becomes (and why, for On hold). */
export function staffChoices(
  staff: ConsoleText,
  mode: ReplyMode,
  after: ReplyAfter,
  set: (change: { mode?: ReplyMode; afterSend?: ReplyAfter }) => void,
): TemplateResult {
  return html`<fieldset class="choices">
    <legend class="label">${staff.msg("replyMode")}</legend>
    <div class="row">
      ${(["reply", "note"] as const).map(
        (m) => html`<label class="choice"><input type="radio" name="mode" value=${m} .checked=${mode === m}
          @change=${() => set({ mode: m })}> ${staff.msg(m === "reply" ? "modeReply" : "modeNote")}</label>`,
      )}
    </div>
  </fieldset>
  ${
    mode === "reply"
      ? html`<div class="field row">
        <label for="after" style="margin: 0">${staff.msg("after")}</label>
        <select part="input" id="after" style="width: auto" @change=${(e: Event) => set({ afterSend: (e.target as HTMLSelectElement).value as ReplyAfter })}>
          ${(["answered", "on_hold", "closed"] as const).map((v) => html`<option value=${v} ?selected=${after === v}>${staff.msg(`after_${v}`)}</option>`)}
        </select>
        ${
          after === "on_hold"
            ? html`<label for="hold-reason" style="margin: 0">${staff.msg("holdReason")}</label>
              <input part="input" id="hold-reason" style="width: auto; flex: 1" maxlength="500">`
            : nothing
        }
      </div>`
      : nothing
  }`;
}

/** The send button's words for the chosen mode and status. */
export function sendLabel(staff: ConsoleText, mode: ReplyMode, after: ReplyAfter): string {
  if (mode === "note") return staff.msg("sendNote");
  return staff.msg(after === "on_hold" ? "sendHold" : after === "closed" ? "sendClose" : "sendReply");
}

/** Staff mode's additions to a reply: note or reply-and-status, and the version the agent has seen. */
export function staffBody(
  mode: ReplyMode,
  afterSend: ReplyAfter,
  ticket: TicketDetail & { version?: number },
  form: HTMLFormElement,
): Record<string, unknown> {
  const seen = ticket.version === undefined ? {} : { seenVersion: ticket.version };
  if (mode === "note") return { internal: true, ...seen };
  const reason = form.querySelector<HTMLInputElement>("#hold-reason")?.value.trim();
  return afterSend === "answered"
    ? seen
    : { status: afterSend, ...(afterSend === "on_hold" && reason ? { reason } : {}), ...seen };
}
