/**
 * WCAG 2 contrast, for the text the widget draws on the accent colour: a brand colour may be
 * light (yellow, mint), and white text on it would be unreadable. Pure functions, no DOM.
 */

/** An sRGB colour as 0–255 channels. */
export type Rgb = readonly [number, number, number];

/** A colour as getComputedStyle gives an sRGB one, `rgb(r, g, b)` or `rgba(…)`; else undefined. */
export function parseColor(css: string): Rgb | undefined {
  const n = /^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)/.exec(css);
  return n ? [Number(n[1]), Number(n[2]), Number(n[3])] : undefined;
}

/** Relative luminance (WCAG 2.x). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/**
 * The text colour for an accent background: white while it reads at 4.5:1 (a luminance up to
 * 1.05 / 4.5 − 0.05), else black. One of the two always does: the worst case, a luminance of
 * about 0.18, gives 4.58:1 each way.
 */
export function textOn(accent: Rgb): "#fff" | "#000" {
  return luminance(accent) <= 1.05 / 4.5 - 0.05 ? "#fff" : "#000";
}
