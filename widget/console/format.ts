import type { ConsoleText } from "./text";

/** How long since `since`, in the largest units that matter: "12 min", "3 h 5 min", "2 d 4 h". */
export function elapsed(text: ConsoleText, since: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 60) return text.msg("minutes", { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return text.msg("hoursMinutes", { h: hours, m: minutes % 60 });
  return text.msg("days", { d: Math.floor(hours / 24), h: hours % 24 });
}

/** Whether a deadline has passed. */
export function overdue(deadline: string | null, now = Date.now()): boolean {
  return deadline !== null && Date.parse(deadline) < now;
}

/** A deadline, short enough for a table cell: "Nov 29, 17:19" (the year only when it is not this one). */
export function shortDateTime(locale: string, iso: string, now = Date.now()): string {
  const date = new Date(iso);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(date);
}
