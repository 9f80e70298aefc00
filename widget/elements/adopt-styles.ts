import type { CSSResult } from "lit";

/** Adds an on-demand module's styles to the shadow root it renders in, so the first view's stylesheet carries only what it shows. */
export function adoptStyles(root: Node, sheet: CSSResult): void {
  const css = sheet.styleSheet;
  if (root instanceof ShadowRoot && css && !root.adoptedStyleSheets.includes(css))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, css];
}
