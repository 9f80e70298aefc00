import { describe, expect, it } from "vitest";
import { elapsed, overdue } from "../../widget/console/format";
import { DEFAULT_ROUTE, formatRoute, parseRoute } from "../../widget/console/route";
import { ConsoleText } from "../../widget/console/text";

describe("the console's address (location.hash)", () => {
  it("round-trips a view, a search, a sort and an open ticket", () => {
    const route = {
      tab: "queue" as const,
      view: "unassigned" as const,
      q: "dns & mail",
      sort: "waiting" as const,
      ticket: "t-1",
    };
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it("falls back to the default queue for an empty or unknown address, and ignores a malformed ticket id", () => {
    expect(parseRoute("")).toEqual(DEFAULT_ROUTE);
    expect(parseRoute("#view=everything&sort=random&ticket=../../admin")).toEqual(DEFAULT_ROUTE);
    expect(parseRoute("#ticket=abc-123")).toEqual({ ...DEFAULT_ROUTE, ticket: "abc-123" });
  });
});

describe("waiting times", () => {
  const text = new ConsoleText();
  const now = Date.parse("2026-11-29T12:00:00Z");

  it("reads in minutes, hours or days", () => {
    expect(elapsed(text, "2026-11-29T11:48:00Z", now)).toBe("12 min");
    expect(elapsed(text, "2026-11-29T08:55:00Z", now)).toBe("3 h 5 min");
    expect(elapsed(text, "2026-11-27T08:00:00Z", now)).toBe("2 d 4 h");
  });

  it("marks a passed deadline as overdue", () => {
    expect(overdue("2026-11-29T11:59:00Z", now)).toBe(true);
    expect(overdue("2026-11-29T12:01:00Z", now)).toBe(false);
    expect(overdue(null, now)).toBe(false);
  });
});
