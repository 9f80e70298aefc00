import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCron } from "../../scripts/lib/cron";
import { runNowCommand, type ScheduledRun, startScheduler } from "../../scripts/lib/scheduler";

const at = (iso: string) => new Date(iso);

describe("cron expressions, read as Cloudflare's Cron Triggers read them (UTC)", () => {
  it("fires every minute for * * * * *", () => {
    const every = parseCron("* * * * *");
    expect(every.matches(at("2026-05-04T00:00:00Z"))).toBe(true);
    expect(every.matches(at("2026-12-31T23:59:59Z"))).toBe(true);
  });

  it("reads numbers, ranges, lists and steps in each field", () => {
    const c = parseCron("*/15 9-17 1,15 * *");
    expect(c.matches(at("2026-05-15T09:45:00Z"))).toBe(true);
    expect(c.matches(at("2026-05-15T17:00:00Z"))).toBe(true);
    expect(c.matches(at("2026-05-15T09:50:00Z"))).toBe(false);
    expect(c.matches(at("2026-05-15T18:00:00Z"))).toBe(false);
    expect(c.matches(at("2026-05-16T09:45:00Z"))).toBe(false);
    expect(parseCron("5/20 * * * *").matches(at("2026-05-04T10:45:00Z"))).toBe(true);
    expect(parseCron("5/20 * * * *").matches(at("2026-05-04T10:40:00Z"))).toBe(false);
  });

  it("counts weekdays from 1 = Sunday, and takes month and day names in any case", () => {
    // 2026-05-03 is a Sunday, 2026-05-04 a Monday.
    expect(parseCron("0 17 * * 1").matches(at("2026-05-03T17:00:00Z"))).toBe(true);
    expect(parseCron("0 17 * * sun").matches(at("2026-05-03T17:00:00Z"))).toBe(true);
    expect(parseCron("10 7 * * mon-fri").matches(at("2026-05-04T07:10:00Z"))).toBe(true);
    expect(parseCron("10 7 * * 2-6").matches(at("2026-05-03T07:10:00Z"))).toBe(false);
    expect(parseCron("0 0 1 Jan,JUL *").matches(at("2026-07-01T00:00:00Z"))).toBe(true);
    expect(parseCron("0 0 1 jan,jul *").matches(at("2026-08-01T00:00:00Z"))).toBe(false);
  });

  it("refuses what it cannot match exactly, naming the problem", () => {
    expect(() => parseCron("* * * *")).toThrow(/five fields/);
    expect(() => parseCron("60 * * * *")).toThrow(/"60" is not a minute/);
    expect(() => parseCron("* * * * 0")).toThrow(/"0" is not a weekday \(1-7\)/);
    expect(() => parseCron("0 18 * * 6L")).toThrow(/L, W, # and \? are not supported/);
    expect(() => parseCron("59 23 LW * *")).toThrow(/not supported/);
    expect(() => parseCron("0 0 * * 2#1")).toThrow(/not supported/);
    expect(() => parseCron("0 0 1 * mon")).toThrow(/day of month or the weekday, not both/);
    expect(() => parseCron("*/0 * * * *")).toThrow(/bad step/);
    expect(() => parseCron("1/2/3 * * * *")).toThrow(/bad step/);
    expect(() => parseCron("30-10 * * * *")).toThrow(/backwards/);
  });
});

describe("the local scheduler", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** Fake time from `start`, and a route that answers 200 and records what it was asked. */
  function fakeWorld(start: string) {
    vi.useFakeTimers({ now: at(start), toFake: ["setTimeout", "clearTimeout", "Date"] });
    const requests: { method: string; url: URL }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      requests.push({ method: init.method ?? "GET", url: new URL(url) });
      return new Response("{}");
    });
    const runs: ScheduledRun[] = [];
    const asked = () =>
      requests.map(
        (r) =>
          `${r.method} ${r.url.pathname} ${r.url.searchParams.get("cron")} ${new Date(Number(r.url.searchParams.get("time"))).toISOString()}`,
      );
    return { runs, asked, onRun: (run: ScheduledRun) => runs.push(run) };
  }

  it("runs every cron once on start, then each at the start of every UTC minute it matches", async () => {
    const world = fakeWorld("2026-05-04T11:58:30.250Z");
    const scheduler = startScheduler({
      origin: "http://127.0.0.1:8787",
      crons: ["* * * * *", "0 * * * *"],
      onRun: world.onRun,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(world.asked()).toEqual([
      "POST /demo/scheduled * * * * * 2026-05-04T11:58:30.250Z",
      "POST /demo/scheduled 0 * * * * 2026-05-04T11:58:30.250Z",
    ]);

    await vi.advanceTimersByTimeAsync(29_749);
    expect(world.asked()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(world.asked().slice(2)).toEqual([
      "POST /demo/scheduled * * * * * 2026-05-04T11:59:00.000Z",
      "POST /demo/scheduled * * * * * 2026-05-04T12:00:00.000Z",
      "POST /demo/scheduled 0 * * * * 2026-05-04T12:00:00.000Z",
    ]);
    expect(world.runs.map((r) => r.outcome)).toEqual([200, 200, 200, 200, 200]);

    scheduler.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(world.asked()).toHaveLength(5);
  });

  it("keeps to the minute when a timer fires early, and never runs a minute twice", async () => {
    const world = fakeWorld("2026-05-04T11:59:59.999Z");
    const scheduler = startScheduler({ origin: "http://127.0.0.1:8787", crons: ["* * * * *"], onRun: world.onRun });
    await vi.advanceTimersByTimeAsync(1);
    // From here the clock runs 2 ms behind the timers: the next tick fires just before 12:01 by the clock.
    vi.setSystemTime(at("2026-05-04T11:59:59.998Z"));
    await vi.advanceTimersByTimeAsync(61_000);
    scheduler.stop();
    expect(world.asked()).toEqual([
      "POST /demo/scheduled * * * * * 2026-05-04T11:59:59.999Z",
      "POST /demo/scheduled * * * * * 2026-05-04T12:00:00.000Z",
      "POST /demo/scheduled * * * * * 2026-05-04T12:01:00.000Z",
    ]);
  });

  it("prints a run-now command that makes the same request", () => {
    expect(runNowCommand("http://127.0.0.1:8787", "* * * * *")).toBe(
      "curl -X POST 'http://127.0.0.1:8787/demo/scheduled?cron=*+*+*+*+*'",
    );
  });
});
