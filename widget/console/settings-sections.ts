import { html, nothing, type TemplateResult } from "lit";
import type { AlertContact, Department, FieldDefinition } from "../../worker/schemas/tenant";
import type { Priority } from "../types";
import { append, type FormKit, getIn, pairsOf, removeAt } from "./form-kit";
import type { Say } from "./settings-hours";

export const PRIORITIES: readonly Priority[] = ["information", "low", "medium", "high", "urgent"];

/** WCAG contrast ratio of a #rrggbb colour against white, or null when it is not one. */
export function contrastWithWhite(colour: string): number | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour.trim());
  if (!m) return null;
  const [r, g, b] = m.slice(1).map((hex) => {
    const c = Number.parseInt(hex, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}

/** Product name, logo and accent colour, with a live contrast hint for white text on the accent. */
export function brandSection(kit: FormKit, say: Say, locale: string): TemplateResult {
  const accent = String(getIn(kit.draft, "branding.accentColor") ?? "");
  const ratio = contrastWithWhite(accent);
  const shown = ratio === null ? "" : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ratio);
  return html`
    ${kit.text({ path: "name", label: say("tenantName"), hint: say("tenantNameHint") })}
    ${kit.text({ path: "branding.productName", label: say("productName"), hint: say("productNameHint"), optional: true })}
    ${kit.text({ path: "branding.logoUrl", label: say("logoUrl"), hint: say("logoUrlHint"), type: "url", optional: true })}
    <div class="accent">
      ${kit.text({ path: "branding.accentColor", label: say("accentColor"), hint: say("accentColorHint"), onInput: true, size: "short" })}
      <input type="color" aria-label=${say("accentColorPicker")} .value=${ratio === null ? "#000000" : accent.toLowerCase()}
        @input=${(e: Event) => kit.set("branding.accentColor", (e.target as HTMLInputElement).value)}>
      <span class="swatch" aria-hidden="true" style="background:${ratio === null ? "transparent" : accent}">Aa</span>
    </div>
    <p class="contrast ${ratio !== null && ratio < 4.5 ? "low" : ""}" role="status">
      ${ratio === null ? say("contrastUnknown") : say(ratio < 4.5 ? "contrastLow" : "contrastGood", { ratio: shown })}
    </p>`;
}

function fieldOf(kind: FieldDefinition["kind"], from: FieldDefinition): FieldDefinition {
  const base = { id: from.id, label: from.label, required: from.required, ...(from.help && { help: from.help }) };
  if (kind === "text") return { ...base, kind, maxLength: 200 };
  if (kind === "yesno") return { ...base, kind, mustBeYes: false };
  if (kind === "select") return { ...base, kind, options: [] };
  return { ...base, kind };
}

function fieldEditor(kit: FormKit, say: Say, at: string, f: FieldDefinition, remove: () => void): TemplateResult {
  return html`<div class="item" role="group" aria-label=${f.label || f.id}>
    <div class="row">
      ${kit.select({
        path: `${at}.kind`,
        label: say("fieldKind"),
        options: (["text", "host", "yesno", "select"] as const).map((k) => ({
          value: k,
          label: say(`fieldKind_${k}`),
        })),
        onChange: (kind) => kit.set(at, fieldOf(kind as FieldDefinition["kind"], f)),
      })}
      ${kit.text({ path: `${at}.id`, label: say("fieldId"), size: "short" })}
      ${kit.text({ path: `${at}.label`, label: say("fieldLabel") })}
    </div>
    ${kit.text({ path: `${at}.help`, label: say("fieldHelp"), optional: true })}
    ${kit.checkbox({ path: `${at}.required`, label: say("fieldRequired") })}
    ${f.kind === "text" ? kit.number({ path: `${at}.maxLength`, label: say("fieldMaxLength"), min: 1, max: 2000 }) : nothing}
    ${
      f.kind === "yesno"
        ? html`${kit.checkbox({ path: `${at}.mustBeYes`, label: say("fieldMustBeYes") })}
          ${f.mustBeYes ? kit.text({ path: `${at}.mustBeYesReason`, label: say("fieldMustBeYesReason"), optional: true }) : nothing}`
        : nothing
    }
    ${
      f.kind === "select"
        ? kit.lines({
            path: `${at}.options`,
            label: say("fieldOptions"),
            hint: say("fieldOptionsHint"),
            parse: (lines) => pairsOf(lines).map(([value, label]) => ({ value, label })),
            format: (v) =>
              Array.isArray(v) ? (v as { value: string; label: string }[]).map((o) => `${o.value}=${o.label}`) : [],
          })
        : nothing
    }
    <button type="button" @click=${remove}>${say("removeField")}</button>
  </div>`;
}

/** Departments and the fields each asks the customer for. */
export function departmentsSection(kit: FormKit, say: Say): TemplateResult {
  const departments = (getIn(kit.draft, "departments") ?? []) as Department[];
  return html`
    ${kit.errorsAt("departments").map((e) => html`<p class="error">${e}</p>`)}
    ${departments.map((d, i) => {
      const at = `departments.${i}`;
      return html`<fieldset>
        <legend>${say("department", { n: i + 1 })}${d.name ? `: ${d.name}` : ""}</legend>
        <div class="row">
          ${kit.text({ path: `${at}.id`, label: say("departmentId"), hint: say("departmentIdHint"), size: "short" })}
          ${kit.text({ path: `${at}.name`, label: say("departmentName") })}
        </div>
        ${kit.text({ path: `${at}.description`, label: say("departmentDescription") })}
        <h4>${say("fields")}</h4>
        ${(d.fields ?? []).map((f, j) =>
          fieldEditor(kit, say, `${at}.fields.${j}`, f, () => {
            removeAt(kit.draft, `${at}.fields`, j);
            kit.changed();
          }),
        )}
        <div class="row">
          <button type="button" @click=${() => {
            append(kit.draft, `${at}.fields`, { kind: "text", id: "", label: "", required: false, maxLength: 200 });
            kit.changed();
          }}>${say("addField")}</button>
          <button type="button" @click=${() => {
            removeAt(kit.draft, "departments", i);
            kit.changed();
          }}>${say("removeDepartment")}</button>
        </div>
      </fieldset>`;
    })}
    <button type="button" @click=${() => {
      append(kit.draft, "departments", { id: "", name: "", description: "", fields: [] });
      kit.changed();
    }}>${say("addDepartment")}</button>`;
}

export function guidanceSection(kit: FormKit, say: Say): TemplateResult {
  return html`${(
    [
      ["message", "guidanceMessage"],
      ["qualifies", "guidanceQualifies"],
      ["doesNotQualify", "guidanceDoesNotQualify"],
      ["emergencies", "guidanceEmergencies"],
    ] as const
  ).map(([key, label]) => kit.lines({ path: `guidance.${key}`, label: say(label), hint: say("linesHint"), rows: 5 }))}`;
}

function contactOf(channel: AlertContact["channel"], from: AlertContact): AlertContact {
  return channel === "webhook" ? { channel, name: from.name, url: "" } : { channel, name: from.name, email: "" };
}

/** What the emergency section needs from its element beyond the form: the signing secret and the test page. */
export interface EmergencyActions {
  priorityLabel: (p: Priority) => string;
  newWebhookSecret: () => void;
  pendingSecret: string | undefined;
  /** Whether a signing secret is set (the server says; never the secret). */
  secretSet: boolean | undefined;
  /** The contacts as saved: what a test page goes to (by index). */
  savedContacts: AlertContact[];
  testPage: (index: number) => void;
  testPageStatus: (index: number) => TemplateResult | typeof nothing;
  copy: (text: string) => TemplateResult;
}

/** Emergency priorities, on-call contacts and acknowledgement window, the webhook secret, a test page. */
export function emergencySection(kit: FormKit, say: Say, actions: EmergencyActions): TemplateResult {
  const priorities = (getIn(kit.draft, "emergency.priorities") ?? []) as Priority[];
  const contacts = (getIn(kit.draft, "emergency.contacts") ?? []) as AlertContact[];
  const prioritiesErrors = kit.errorsAt("emergency.priorities", true);
  return html`
    <fieldset aria-describedby=${prioritiesErrors.length ? "f-priorities-error" : nothing}>
      <legend>${say("emergencyPriorities")}</legend>
      <div class="row">
        ${PRIORITIES.map(
          (p) => html`<label class="inline"><input type="checkbox" .checked=${priorities.includes(p)}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              kit.set("emergency.priorities", on ? [...priorities, p] : priorities.filter((x) => x !== p));
            }}> ${actions.priorityLabel(p)}</label>`,
        )}
      </div>
      ${prioritiesErrors.length ? html`<p class="error" id="f-priorities-error">${prioritiesErrors.join(" ")}</p>` : nothing}
    </fieldset>
    ${kit.number({ path: "emergency.ackWindowMinutes", label: say("ackWindow"), hint: say("ackWindowHint"), min: 5, max: 1440 })}
    <fieldset>
      <legend>${say("contacts")}</legend>
      ${kit.errorsAt("emergency.contacts").map((e) => html`<p class="error">${e}</p>`)}
      ${contacts.length === 0 ? html`<p>${say("noContacts")}</p>` : nothing}
      ${contacts.map((c, i) => {
        const at = `emergency.contacts.${i}`;
        return html`<div class="item" role="group" aria-label=${say("contact", { n: i + 1 })}>
          <div class="row">
            ${kit.select({
              path: `${at}.channel`,
              label: say("channel"),
              options: (["webhook", "email"] as const).map((k) => ({ value: k, label: say(`channel_${k}`) })),
              onChange: (channel) => kit.set(at, contactOf(channel as AlertContact["channel"], c)),
            })}
            ${kit.text({ path: `${at}.name`, label: say("contactName") })}
            ${
              c.channel === "webhook"
                ? kit.text({ path: `${at}.url`, label: say("contactUrl"), type: "url" })
                : kit.text({ path: `${at}.email`, label: say("contactEmail"), type: "email" })
            }
          </div>
          <button type="button" aria-label="${say("remove")}: ${say("contact", { n: i + 1 })}" @click=${() => {
            removeAt(kit.draft, "emergency.contacts", i);
            kit.changed();
          }}>${say("remove")}</button>
        </div>`;
      })}
      <button type="button" @click=${() => {
        append(kit.draft, "emergency.contacts", { channel: "email", name: "", email: "" });
        kit.changed();
      }}>${say("addContact")}</button>
    </fieldset>
    ${kit.checkbox({ path: "emergency.guestsCanPage", label: say("guestsCanPage") })}
    ${kit.checkbox({ path: "emergency.pagingRequiresService", label: say("pagingRequiresService") })}
    ${kit.number({ path: "emergency.replyPageCooldownMinutes", label: say("cooldown"), min: 0, max: 10080 })}
    <div class="field">
      <span class="label">${say("webhookSecret")}</span>
      <p class="hint">${say("webhookSecretHint")}</p>
      ${actions.secretSet === undefined ? nothing : html`<p>${say(actions.secretSet ? "webhookSecretIsSet" : "webhookSecretNotSet")}</p>`}
      ${kit.errorsAt("emergency.webhookSecret").map((e) => html`<p class="error">${e}</p>`)}
      ${
        actions.pendingSecret
          ? html`<div class="once"><p>${say("webhookSecretPending")} ${say("secretShownOnce")}</p>
            <code>${actions.pendingSecret}</code> ${actions.copy(actions.pendingSecret)}</div>`
          : html`<button type="button" @click=${actions.newWebhookSecret}>${say("newWebhookSecret")}</button>`
      }
    </div>
    <fieldset class="test-pages">
      <legend>${say("testPage")}</legend>
      <p class="hint">${say("testPageHint")}</p>
      ${actions.savedContacts.length === 0 ? html`<p>${say("noContacts")}</p>` : nothing}
      ${actions.savedContacts.map(
        (c, i) => html`<div class="row">
          <button type="button" @click=${() => actions.testPage(i)}>${say("testPageTo", { name: c.name })}</button>
          ${actions.testPageStatus(i)}
        </div>`,
      )}
    </fieldset>`;
}

export function ticketsSection(kit: FormKit, say: Say): TemplateResult {
  return html`
    ${kit.number({ path: "autoCloseHours", label: say("autoCloseHours"), hint: say("autoCloseHoursHint"), min: 1, max: 2160 })}
    ${kit.checkbox({ path: "guestsAllowed", label: say("guestsAllowed") })}`;
}

export function originsSection(kit: FormKit, say: Say): TemplateResult {
  return kit.lines({ path: "allowedOrigins", label: say("allowedOrigins"), hint: say("allowedOriginsHint") });
}

export function mailSection(kit: FormKit, say: Say): TemplateResult {
  return html`
    ${kit.text({ path: "email.fromAddress", label: say("fromAddress"), hint: say("fromAddressHint"), type: "email", optional: true })}
    ${kit.text({ path: "email.fromName", label: say("fromName"), optional: true })}
    ${kit.text({ path: "email.replyDomain", label: say("replyDomain"), hint: say("replyDomainHint"), optional: true })}
    ${kit.checkbox({ path: "email.newTicketsByEmail", label: say("newTicketsByEmail") })}
    ${kit.lines({
      path: "email.departmentsByAddress",
      label: say("departmentsByAddress"),
      hint: say("departmentsByAddressHint"),
      parse: (lines) => Object.fromEntries(pairsOf(lines)),
      format: (v) =>
        v && typeof v === "object" ? Object.entries(v as Record<string, string>).map(([k, d]) => `${k}=${d}`) : [],
    })}`;
}
