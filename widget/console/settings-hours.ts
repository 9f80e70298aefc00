import { html, nothing, type TemplateResult } from "lit";
import type { HolidayRule, Weekday } from "../../worker/schemas/calendar";
import type { AdminKey } from "./admin-text";
import { append, type FormKit, getIn, removeAt } from "./form-kit";

export type Say = (key: AdminKey, params?: Record<string, string | number>) => string;

export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** A weekday's name in `locale` (1 January 2024 was a Monday). */
export function weekdayName(locale: string, day: Weekday): string {
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day))),
  );
}

function monthName(locale: string, month: number): string {
  return new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, month - 1, 1)),
  );
}

/** The time zones this browser knows, for the time-zone field's suggestions. */
function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}

/** The openings preview: the server's next spans for the calendar as edited, or why it has none. */
export type Openings = { spans: { opensAt: string; closesAt: string | null }[] } | { problems: string[] };

/** `zone` if this browser knows it (the preview's times are shown in it), else UTC. */
function zoneOrUtc(zone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

function holidayOf(kind: HolidayRule["kind"], from: Partial<HolidayRule>): HolidayRule {
  const name = from.name ?? "";
  const month = from.month ?? 1;
  const weekday: Weekday = (from.kind === "nth" || from.kind === "last" ? from.weekday : undefined) ?? "mon";
  if (kind === "fixed") return { kind, name, month, day: 1 };
  if (kind === "nth") return { kind, name, month, weekday, n: 1 };
  return { kind, name, month, weekday };
}

/** Time zone, weekly hours, holiday rules and a live preview of the next openings. */
export function hoursSection(kit: FormKit, say: Say, locale: string, openings: Openings | undefined): TemplateResult {
  const hours = (getIn(kit.draft, "hours") ?? {}) as Record<string, { open: string; close: string }[] | undefined>;
  const holidays = (getIn(kit.draft, "holidays") ?? []) as HolidayRule[];
  const timeZone = String(getIn(kit.draft, "timeZone") ?? "");
  const weekdayOptions = WEEKDAYS.map((d) => ({ value: d, label: weekdayName(locale, d) }));
  const monthOptions = Array.from({ length: 12 }, (_, i) => ({
    value: String(i + 1),
    label: monthName(locale, i + 1),
  }));
  const when = (iso: string) =>
    new Intl.DateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zoneOrUtc(timeZone),
    }).format(new Date(iso));
  return html`
    ${kit.text({
      path: "timeZone",
      label: say("timeZone"),
      hint: say("timeZoneHint"),
      onInput: true,
      list: "edgedesk-time-zones",
    })}
    <datalist id="edgedesk-time-zones">${timeZones().map((z) => html`<option value=${z}></option>`)}</datalist>
    <fieldset>
      <legend>${say("weeklyHours")}</legend>
      <p class="hint">${say("weeklyHoursHint")}</p>
      ${WEEKDAYS.map((day) => {
        const spans = hours[day] ?? [];
        return html`<div class="day" role="group" aria-label=${weekdayName(locale, day)}>
          <span class="day-name">${weekdayName(locale, day)}</span>
          <div class="spans">
            ${spans.length === 0 ? html`<span class="hint">${say("closed")}</span>` : nothing}
            ${spans.map(
              (_, i) => html`<div class="row span">
                ${kit.text({ path: `hours.${day}.${i}.open`, label: say("opens"), size: "short", onInput: true })}
                ${kit.text({ path: `hours.${day}.${i}.close`, label: say("closes"), size: "short", onInput: true })}
                <button type="button" aria-label="${say("remove")}: ${weekdayName(locale, day)} ${i + 1}"
                  @click=${() => {
                    removeAt(kit.draft, `hours.${day}`, i);
                    kit.changed();
                  }}>${say("remove")}</button>
              </div>`,
            )}
            <button type="button" aria-label="${say("addSpan")}: ${weekdayName(locale, day)}"
              @click=${() => {
                append(kit.draft, `hours.${day}`, { open: "09:00", close: "17:00" });
                kit.changed();
              }}>${say("addSpan")}</button>
          </div>
        </div>`;
      })}
    </fieldset>
    <fieldset>
      <legend>${say("holidays")}</legend>
      <p class="hint">${say("holidaysHint")}</p>
      ${holidays.length === 0 ? html`<p>${say("noHolidays")}</p>` : nothing}
      ${holidays.map((h, i) => {
        const at = `holidays.${i}`;
        return html`<div class="item" role="group" aria-label=${h.name || String(i + 1)}>
          <div class="row">
            ${kit.text({ path: `${at}.name`, label: say("holidayName") })}
            ${kit.select({
              path: `${at}.kind`,
              label: say("holidayKind"),
              options: (["fixed", "nth", "last"] as const).map((k) => ({ value: k, label: say(`holidayKind_${k}`) })),
              onChange: (kind) => kit.set(at, holidayOf(kind as HolidayRule["kind"], h)),
            })}
            ${kit.select({ path: `${at}.month`, label: say("month"), options: monthOptions })}
            ${h.kind === "fixed" ? kit.number({ path: `${at}.day`, label: say("day"), min: 1, max: 31 }) : nothing}
            ${h.kind === "nth" ? kit.number({ path: `${at}.n`, label: say("nth"), min: 1, max: 4 }) : nothing}
            ${h.kind !== "fixed" ? kit.select({ path: `${at}.weekday`, label: say("weekday"), options: weekdayOptions }) : nothing}
          </div>
          <button type="button" aria-label="${say("remove")}: ${h.name}"
            @click=${() => {
              removeAt(kit.draft, "holidays", i);
              kit.changed();
            }}>${say("remove")}</button>
        </div>`;
      })}
      <button type="button" @click=${() => {
        append(kit.draft, "holidays", { kind: "fixed", name: "", month: 1, day: 1 });
        kit.changed();
      }}>${say("addHoliday")}</button>
    </fieldset>
    <section class="preview" aria-labelledby="openings-title">
      <h4 id="openings-title">${say("preview")}</h4>
      ${
        openings === undefined
          ? html`<p class="hint">${say("loading")}</p>`
          : "problems" in openings
            ? html`<p class="hint">${say("previewInvalid")}</p>
              <ul class="hint">${openings.problems.map((p) => html`<li>${p}</li>`)}</ul>`
            : html`<p class="hint">${say("previewHint", { zone: timeZone })}</p>
              ${
                openings.spans.length === 0
                  ? html`<p>${say("previewNone")}</p>`
                  : html`<ol class="openings">${openings.spans.map((o) =>
                      o.closesAt
                        ? html`<li>${say("openingSpan", { from: when(o.opensAt), to: when(o.closesAt) })}</li>`
                        : html`<li>${say("openingOpen", { from: when(o.opensAt) })}</li>`,
                    )}</ol>`
              }`
      }
    </section>`;
}
