/** The admin screens' pure parts: the contrast hint and the form's paths. */
import { describe, expect, it } from "vitest";
import { getIn, pairsOf, setIn } from "../../widget/console/form-kit";
import { contrastWithWhite } from "../../widget/console/settings-sections";

describe("the accent colour's contrast hint", () => {
  it("gives WCAG's ratio of white text on the colour, and nothing for what is not #rrggbb", () => {
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#1f6feb")).toBeCloseTo(4.63, 1);
    expect(contrastWithWhite("#ffd33d")! < 4.5).toBe(true);
    expect(contrastWithWhite("1f6feb")).toBeNull();
    expect(contrastWithWhite("#12345")).toBeNull();
  });
});

describe("the settings form's paths", () => {
  it("reads and writes by the API's dot-joined paths, making lists and objects on the way", () => {
    const draft: Record<string, unknown> = { hours: { mon: [{ open: "09:00", close: "17:00" }] } };
    setIn(draft, "hours.mon.0.close", "16:00");
    setIn(draft, "hours.tue.0", { open: "10:00", close: "11:00" });
    setIn(draft, "branding.logoUrl", "https://x.example/logo.png");
    expect(draft).toEqual({
      hours: { mon: [{ open: "09:00", close: "16:00" }], tue: [{ open: "10:00", close: "11:00" }] },
      branding: { logoUrl: "https://x.example/logo.png" },
    });
    setIn(draft, "branding.logoUrl", undefined);
    expect(getIn(draft, "branding")).toEqual({});
    expect(getIn(draft, "hours.mon.0.open")).toBe("09:00");
    expect(getIn(draft, "nothing.here")).toBeUndefined();
  });

  it("splits key=value lines at the first =", () => {
    expect(pairsOf(["billing=billing", "a = b=c", "bare"])).toEqual([
      ["billing", "billing"],
      ["a", "b=c"],
      ["bare", ""],
    ]);
  });
});
