/**
 * Cron expressions as Cloudflare's Cron Triggers read them, for the local scheduler: five fields
 * (minute, hour, day of month, month, day of week), matched in UTC. Each field takes `*`, numbers,
 * `a-b` ranges, `,` lists and `/n` steps; months and weekdays also take three-letter names.
 * Weekdays count Cloudflare's way, 1 = Sunday to 7 = Saturday. Quartz's `L`, `W` and `#` and
 * a restricted day of month together with a restricted weekday are refused rather than guessed.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { name: "weekday", min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

export class CronError extends Error {
  constructor(expression: string, problem: string) {
    super(`cron "${expression}": ${problem}`);
    this.name = "CronError";
  }
}

export interface CronSchedule {
  expression: string;
  /** True when the cron fires in the UTC minute that `at` falls in. */
  matches(at: Date): boolean;
}

function parseField(expression: string, field: Field, text: string): Set<number> {
  const values = new Set<number>();
  const number = (token: string): number => {
    const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
    const value = named >= 0 ? field.min + named : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (Number.isNaN(value) && /[LW#?]/i.test(token))
      throw new CronError(expression, `"${token}": Quartz's L, W, # and ? are not supported locally`);
    if (!(value >= field.min && value <= field.max))
      throw new CronError(expression, `"${token}" is not a ${field.name} (${field.min}-${field.max})`);
    return value;
  };
  for (const part of text.split(",")) {
    const [range = "", stepText, extra] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || extra !== undefined)
      throw new CronError(expression, `"${part}" has a bad step`);
    let from = field.min;
    let to = field.max;
    if (range !== "*") {
      const [a = "", b] = range.split("-");
      from = number(a);
      // "5/15" runs from 5 to the end of the field; "5" alone is just 5.
      to = b !== undefined ? number(b) : stepText !== undefined ? field.max : from;
      if (to < from) throw new CronError(expression, `"${part}" runs backwards`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length)
    throw new CronError(expression, "needs five fields: minute hour day-of-month month weekday");
  const [minutes, hours, days, months, weekdays] = FIELDS.map((field, i) =>
    parseField(expression, field, parts[i]!),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (parts[2] !== "*" && parts[4] !== "*")
    throw new CronError(expression, "restrict the day of month or the weekday, not both");
  return {
    expression,
    matches: (at) =>
      minutes.has(at.getUTCMinutes()) &&
      hours.has(at.getUTCHours()) &&
      days.has(at.getUTCDate()) &&
      months.has(at.getUTCMonth() + 1) &&
      weekdays.has(at.getUTCDay() + 1),
  };
}
