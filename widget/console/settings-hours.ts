import { html, nothing, type TemplateResult } from "lit";
import { isOpen, nextClosing, nextOpening } from "../../worker/hours/calendar";
import type { BusinessCalendar, HolidayRule, Weekday } from "../../worker/schemas/calendar";
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

/** A clock time as the schema takes it (worker/schemas/calendar.ts). */
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/**
 * The next `count` openings of a calendar after `now`, as [opens, closes] (closes null: open around
 * the clock), by the very code the Worker uses; null when the calendar is not valid yet.
 */
export function nextOpenings(calendar: BusinessCalendar, now: Date, count = 5): [Date, Date | null][] | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone: calendar.timeZone });
    const spans = Object.values(calendar.hours).flat();
    if (spans.some((s) => !CLOCK.test(s.open) || !CLOCK.test(s.close) || s.open >= s.close)) return null;
    const found: [Date, Date | null][] = [];
    let at = now;
    while (found.length < count) {
      const opens = isOpen(calendar, at) ? at : nextOpening(calendar, at);
      if (!opens) break;
      const closes = nextClosing(calendar, opens);
      found.push([opens, closes]);
      if (!closes) break;
      at = new Date(closes.getTime() + 60_000);
    }
    return found;
  } catch {
    return null;
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
export function hoursSection(kit: FormKit, say: Say, locale: string): TemplateResult {
  const hours = (getIn(kit.draft, "hours") ?? {}) as Record<string, { open: string; close: string }[] | undefined>;
  const holidays = (getIn(kit.draft, "holidays") ?? []) as HolidayRule[];
  const timeZone = String(getIn(kit.draft, "timeZone") ?? "");
  const weekdayOptions = WEEKDAYS.map((d) => ({ value: d, label: weekdayName(locale, d) }));
  const monthOptions = Array.from({ length: 12 }, (_, i) => ({
    value: String(i + 1),
    label: monthName(locale, i + 1),
  }));
  const calendar = { timeZone, hours, holidays } as BusinessCalendar;
  const openings = nextOpenings(calendar, new Date());
  const when = (d: Date) =>
    new Intl.DateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    }).format(d);
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
        openings === null
          ? html`<p class="hint">${say("previewInvalid")}</p>`
          : html`<p class="hint">${say("previewHint", { zone: timeZone })}</p>
            ${
              openings.length === 0
                ? html`<p>${say("previewNone")}</p>`
                : html`<ol class="openings">${openings.map(
                    ([from, to]) =>
                      html`<li>${to ? say("openingSpan", { from: when(from), to: when(to) }) : say("openingOpen", { from: when(from) })}</li>`,
                  )}</ol>`
            }`
      }
    </section>`;
}
