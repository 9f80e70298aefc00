import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contrast, parseColor, type Rgb, textOn } from "../../widget/contrast";

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;

describe("text on the accent colour", () => {
  it("computes WCAG contrast ratios", () => {
    expect(contrast(rgb("#000000"), rgb("#ffffff"))).toBeCloseTo(21, 5);
    expect(contrast(rgb("#ffffff"), rgb("#ffffff"))).toBe(1);
    // WebAIM's figure for #767676 on white.
    expect(contrast(rgb("#767676"), rgb("#ffffff"))).toBeCloseTo(4.54, 2);
  });

  it("keeps white on the default blue and dark brands, and turns dark on light ones", () => {
    expect(textOn(rgb("#1f6feb"))).toBe("#fff");
    expect(textOn(rgb("#c2410c"))).toBe("#fff");
    expect(textOn(rgb("#ffd33d"))).toBe("#000");
    expect(textOn(rgb("#7ee787"))).toBe("#000");
    expect(textOn(rgb("#ffffff"))).toBe("#000");
  });

  it("reads at 4.5:1 or better on any accent", () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), (accent) => {
        const text = textOn(accent);
        expect(contrast(accent, text === "#fff" ? [255, 255, 255] : [0, 0, 0])).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the colours getComputedStyle gives", () => {
    expect(parseColor("rgb(31, 111, 235)")).toEqual([31, 111, 235]);
    expect(parseColor("rgba(0, 128, 0, 0.5)")).toEqual([0, 128, 0]);
    expect(parseColor("color(display-p3 1 0.5 0)")).toBeUndefined();
    expect(parseColor("")).toBeUndefined();
  });
});
