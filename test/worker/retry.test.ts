import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../worker/retry";

describe("the retry policy of mail and alerts", () => {
  it("waits 30 s after the first failed try, twice as long after each next one, never more than 15 minutes", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(retryDelayMs)).toEqual([
      30_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000,
    ]);
  });
});
