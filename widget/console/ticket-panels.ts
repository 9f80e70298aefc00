import { html, nothing, type TemplateResult } from "lit";
import type { Messages } from "../i18n";
import type { PublicConfig } from "../types";
import { PRIORITIES, STATUSES } from "./enums";
import type { ConsoleRoute } from "./route";
import { formatRoute } from "./route";
import type { ConsoleText } from "./text";
import type { Agent, QueueRow, StaffTicket } from "./types";

export type ControlField = "status" | "priority" | "department" | "assignee";

/** What a control's form needs from the ticket view: its error and how to save. */
export interface ControlContext {
  t: Messages;
  x: ConsoleText;
  busy: boolean;
  errors: Partial<Record<string, string>>;
  save: (field: ControlField, form: HTMLFormElement) => void;
}

/** One control of the ticket: a choice, an optional reason for the history, Save, and its error beneath. */
export function control(
  c: ControlContext,
  field: ControlField,
  current: string,
  options: { value: string; label: string }[],
  extra: TemplateResult | typeof nothing = nothing,
): TemplateResult {
  const error = c.errors[field];
  const id = `c-${field}`;
  return html`<form class="control" novalidate @submit=${(e: Event) => {
    e.preventDefault();
    c.save(field, e.target as HTMLFormElement);
  }}>
    <label for=${id}>${c.x.msg(field)}</label>
    <select part="input" id=${id} name="value" aria-invalid=${error ? "true" : "false"} aria-describedby=${error ? `${id}-error` : nothing}>
      ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === current}>${o.label}</option>`)}
    </select>
    <label class="hint" for=${`${id}-reason`}>${c.x.msg("reason")}</label>
    <div class="row">
      <input part="input" id=${`${id}-reason`} name="reason" maxlength="500">
      <button part="button" type="submit" ?disabled=${c.busy}>${c.x.msg("apply")}</button>
    </div>
    ${extra}
    ${error ? html`<p class="error" id=${`${id}-error`} tabindex="-1">${error}</p>` : nothing}
  </form>`;
}

/** Status, priority, department and assignee, each with its own form. */
export function controls(
  c: ControlContext,
  ticket: StaffTicket,
  config: PublicConfig | undefined,
  agents: Agent[],
  assignToMe: () => void,
): TemplateResult {
  const { t, x } = c;
  const active = agents.filter((a) => a.active);
  const assigneeOptions = [
    { value: "", label: x.msg("nobody") },
    ...active.map((a) => ({ value: a.id, label: a.name })),
    // The current assignee, even if the directory has not listed them (yet, or any more).
    ...(ticket.assignee && !active.some((a) => a.id === ticket.assignee)
      ? [{ value: ticket.assignee, label: agents.find((a) => a.id === ticket.assignee)?.name ?? ticket.assignee }]
      : []),
  ];
  const departments = config?.departments ?? [];
  return html`<section aria-labelledby="controls-title">
    <h3 id="controls-title">${x.msg("controls")}</h3>
    ${control(
      c,
      "status",
      ticket.status,
      STATUSES.map((s) => ({ value: s, label: t.msg(`status_${s}`) })),
    )}
    ${control(
      c,
      "priority",
      ticket.priority,
      PRIORITIES.map((p) => ({ value: p, label: t.msg(`priority_${p}`) })),
    )}
    ${control(
      c,
      "department",
      ticket.department,
      departments.some((d) => d.id === ticket.department)
        ? departments.map((d) => ({ value: d.id, label: t.tenant(d.name) }))
        : [
            { value: ticket.department, label: ticket.department },
            ...departments.map((d) => ({ value: d.id, label: t.tenant(d.name) })),
          ],
    )}
    ${control(
      c,
      "assignee",
      ticket.assignee ?? "",
      assigneeOptions,
      html`<p><button part="button" type="button" ?disabled=${c.busy} @click=${assignToMe}>${x.msg("assignToMe")}</button></p>`,
    )}
  </section>`;
}

/** Who asked, about which service, and the department's fields as the customer filled them. */
export function facts(
  t: Messages,
  x: ConsoleText,
  ticket: StaffTicket,
  config: PublicConfig | undefined,
): TemplateResult {
  const department = config?.departments.find((d) => d.id === ticket.department);
  const fields = department?.fields ?? [];
  const shown = (v: string | boolean | undefined) => (v === true ? t.msg("yes") : v === false ? t.msg("no") : v || "—");
  return html`<section class="facts" aria-labelledby="facts-title">
    <h3 id="facts-title">${x.msg("customerFields")}</h3>
    <dl>
      <dt>${x.msg("requester")}</dt><dd>${ticket.requester.name} &lt;${ticket.requester.email}&gt;</dd>
      <dt>${x.msg("relatedService")}</dt><dd>${ticket.service?.label ?? ticket.serviceId ?? "—"}</dd>
      <dt>${x.msg("department")}</dt><dd>${department ? t.tenant(department.name) : ticket.department}</dd>
      ${fields.map((f) => html`<dt>${t.tenant(f.label)}</dt><dd>${shown(ticket.fields[f.id])}</dd>`)}
      ${Object.entries(ticket.fields)
        .filter(([id]) => !fields.some((f) => f.id === id))
        .map(([id, v]) => html`<dt>${id}</dt><dd>${shown(v)}</dd>`)}
    </dl>
  </section>`;
}

/** The requester's other tickets, as links into the console. */
export function otherTickets(
  t: Messages,
  x: ConsoleText,
  route: ConsoleRoute,
  ticketId: string,
  others: QueueRow[] | undefined,
): TemplateResult {
  const list = (others ?? []).filter((o) => o.id !== ticketId);
  return html`<section aria-labelledby="others-title">
    <h3 id="others-title">${x.msg("otherTickets")}</h3>
    ${
      others === undefined
        ? html`<p class="hint">${t.msg("loading")}</p>`
        : list.length
          ? html`<ul class="guide">${list.map(
              (o) =>
                html`<li><a href=${formatRoute({ ...route, ticket: o.id })}>#${o.number} · ${o.subject}</a> (${t.msg(`status_${o.status}`)})</li>`,
            )}</ul>`
          : html`<p class="hint">${x.msg("noOtherTickets")}</p>`
    }
  </section>`;
}

/**
 * "Dana is viewing / typing…", and a change made elsewhere since the view was read (the server's
 * `version` is newer than the view's). Always rendered, so that it is announced as it changes.
 */
export function presenceNotice(
  x: ConsoleText,
  others: readonly { name: string; typing: boolean }[],
  changedVersion: number | null,
  ticket: StaffTicket,
  reload: () => void,
): TemplateResult {
  const stale = changedVersion !== null && ticket.version !== undefined && changedVersion > ticket.version;
  return html`<div role="status">
    ${
      others.length
        ? html`<p class="notice presence">${others.map((o) => x.msg(o.typing ? "typing" : "viewing", { name: o.name })).join(" ")}</p>`
        : nothing
    }
    ${
      stale
        ? html`<p class="notice presence">${x.msg("changedElsewhere")}
          <button part="button" @click=${reload}>${x.msg("showChanges")}</button></p>`
        : nothing
    }
  </div>`;
}
