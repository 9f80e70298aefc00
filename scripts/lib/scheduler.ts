/**
 * Cron Triggers for the local stack. `wrangler dev` never fires them, and with [assets] configured
 * its /cdn-cgi/handler/scheduled answers 500 (workers-sdk issue 9882), so `npm start` runs them
 * itself: at the start of every UTC minute, each of wrangler.toml's crons that matches that minute
 * is sent to the demo Worker's /demo/scheduled route, which runs the same jobs as scheduled().
 * On start every cron runs once at once, as the ticks missed while the stack was down would have.
 */
import { unstable_readConfig } from "wrangler";
import { parseCron } from "./cron";

const MINUTE = 60_000;

/** The `[triggers] crons` of a Wrangler configuration file. */
export function readCrons(configPath: string): string[] {
  return unstable_readConfig({ config: configPath }, { hideWarnings: true }).triggers.crons ?? [];
}

/** The demo Worker's route that runs the scheduled jobs for one cron at one time. */
export function scheduledRunUrl(origin: string, cron: string, scheduledTime?: number): string {
  const query = new URLSearchParams({ cron, ...(scheduledTime !== undefined && { time: String(scheduledTime) }) });
  return `${origin}/demo/scheduled?${query}`;
}

/** What `npm start` prints for running the jobs now: the same request the scheduler makes. */
export function runNowCommand(origin: string, cron: string): string {
  return `curl -X POST '${scheduledRunUrl(origin, cron)}'`;
}

export interface ScheduledRun {
  cron: string;
  scheduledTime: number;
  /** The route's HTTP status, or the error when it could not be reached. */
  outcome: number | string;
}

export interface Scheduler {
  stop(): void;
}

export function startScheduler(options: {
  origin: string;
  crons: string[];
  onRun?: (run: ScheduledRun) => void;
}): Scheduler {
  const schedules = options.crons.map(parseCron);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastTick = 0;

  const fire = (cron: string, scheduledTime: number) => {
    void fetch(scheduledRunUrl(options.origin, cron, scheduledTime), { method: "POST" })
      .then(async (res) => {
        await res.arrayBuffer();
        if (!res.ok && !stopped) console.error(`scheduled run of "${cron}" answered ${res.status}`);
        return res.status;
      })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        if (!stopped) console.error(`scheduled run of "${cron}" failed: ${reason}`);
        return reason;
      })
      .then((outcome) => options.onRun?.({ cron, scheduledTime, outcome }));
  };

  // Each minute's tick is armed from the clock, so a slow run or a suspended laptop never shifts the schedule.
  // A timer may fire a millisecond early: never tick the same minute twice.
  const arm = () => {
    const next = Math.max((Math.floor(Date.now() / MINUTE) + 1) * MINUTE, lastTick + MINUTE);
    timer = setTimeout(() => {
      if (stopped) return;
      lastTick = next;
      for (const s of schedules) if (s.matches(new Date(next))) fire(s.expression, next);
      arm();
    }, next - Date.now());
  };

  const started = Date.now();
  for (const s of schedules) fire(s.expression, started);
  arm();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
