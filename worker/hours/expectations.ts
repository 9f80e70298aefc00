// A tenant's business calendar, and what a ticket filed at a given moment can expect from it.
import { type PagingRequester, pagingPriorities } from "../alerts/policy";
import type { BusinessCalendar } from "../schemas/calendar";
import type { Tenant } from "../schemas/tenant";
import type { Priority } from "../schemas/ticket";
import { type ExpectedResponse, isOpen, localDateTime, nextClosing, nextOpening } from "./calendar";

export function calendarOf(tenant: Tenant): BusinessCalendar {
  const { timeZone, hours, holidays } = tenant.config;
  return { timeZone, hours, holidays };
}

/**
 * What a ticket filed at `now` can expect, per priority and requester (a signed-in customer when
 * not named): one who cannot page (alerts/policy.ts) waits for opening hours.
 */
export type Expectations = (priority: Priority, requester?: PagingRequester) => ExpectedResponse;

/** Whom the response is for when the caller names nobody: a signed-in customer writing about one of their services. */
const CUSTOMER: PagingRequester = { requesterKind: "user", serviceId: "one of theirs" };

/**
 * A stretch of time in which the calendar's answer does not change: open from `from` until it
 * next closes, or closed until the next opening or the next quarter hour, whichever comes first
 * (every time zone's offset is a multiple of 15 minutes, so a local hour, and with it the 06:00
 * "next morning" line, never starts inside a quarter hour).
 */
interface Window {
  from: number;
  until: number;
  open: boolean;
  /** Closed: the next opening (ISO), null if the calendar never opens. */
  opensAt: string | null;
  /** Closed: local time is before 06:00, when an alert may not be seen until the morning. */
  beforeSix: boolean;
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * By tenant object: a warm isolate hands every request the same frozen tenant for
 * TENANT_CACHE_MS (middleware/tenant-cache.ts), so requests share the window, and a config
 * change, which arrives as a new object, never sees an old one. Working the calendar out (time
 * zone arithmetic, holiday rules, the walk to the next opening) was the costliest part of
 * answering a list or a filing.
 */
const windows = new WeakMap<Tenant, Window>();

function windowAt(tenant: Tenant, now: number): Window {
  const hit = windows.get(tenant);
  if (hit && now >= hit.from && now < hit.until) return hit;
  const cal = calendarOf(tenant);
  const at = new Date(now);
  let window: Window;
  if (isOpen(cal, at)) {
    const closes = nextClosing(cal, at);
    window = {
      from: now,
      until: closes?.getTime() ?? Number.POSITIVE_INFINITY,
      open: true,
      opensAt: null,
      beforeSix: false,
    };
  } else {
    const opens = nextOpening(cal, at);
    const quarter = Math.floor(now / QUARTER_HOUR) * QUARTER_HOUR + QUARTER_HOUR;
    window = {
      from: now,
      until: Math.min(opens?.getTime() ?? Number.POSITIVE_INFINITY, quarter),
      open: false,
      opensAt: opens?.toISOString() ?? null,
      beforeSix: localDateTime(cal.timeZone, at).hour < 6,
    };
  }
  windows.set(tenant, window);
  return window;
}

/** The answer `expectedResponse` (hours/calendar.ts) gives, read from the tenant's current window. */
export function expectationsAt(tenant: Tenant, now: number): Expectations {
  const window = windowAt(tenant, now);
  return (priority, requester = CUSTOMER) => {
    if (window.open) return { kind: "business_hours" };
    // From midnight to 06:00 the alert still goes out, but it may not be seen until the morning.
    if (pagingPriorities(tenant, requester).includes(priority))
      return window.beforeSix ? { kind: "next_morning" } : { kind: "on_call" };
    return { kind: "next_business_day", opensAt: window.opensAt };
  };
}
