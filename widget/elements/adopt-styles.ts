import type { CSSResult } from "lit";

/**
 * Adds an on-demand module's styles to the shadow root it renders in (<edgedesk-tickets>'), so
 * the stylesheet of the first view carries only what the first view shows.
 */
export function adoptStyles(root: Node, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  if (root instanceof ShadowRoot && sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
