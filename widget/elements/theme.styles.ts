import { type CSSResult, css } from "lit";

/**
 * What every element of the widget shares: the theme and the controls. Two tiers: hosts set the
 * public `--edgedesk-*` tokens; the elements read private `--_*` variables that default to them,
 * then to the tenant's branding, then to built-in values. Each element's :host defines them again
 * from what it inherits, so a view shown alone (the agent console's thread) is themed the same.
 */
export const theme = css`
  :host {
    --_accent: var(--edgedesk-accent, var(--_brand-accent, #1f6feb));
    --_on-accent: var(--edgedesk-on-accent, #fff);
    --_bg: var(--edgedesk-background, #fff);
    --_surface: var(--edgedesk-surface, #f6f8fa);
    --_fg: var(--edgedesk-foreground, #1d2433);
    --_muted: var(--edgedesk-muted, #57606a);
    --_border: var(--edgedesk-border, #c9d1d9);
    --_danger: var(--edgedesk-danger, #b42318);
    --_radius: var(--edgedesk-radius, 8px);
    --_font: var(--edgedesk-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_focus: var(--edgedesk-focus, #0b5cd5);
    display: block;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--edgedesk-background, #0d1117);
      --_surface: var(--edgedesk-surface, #161b22);
      --_fg: var(--edgedesk-foreground, #e6edf3);
      --_muted: var(--edgedesk-muted, #9da7b3);
      --_border: var(--edgedesk-border, #3d444d);
      --_danger: var(--edgedesk-danger, #ff7b72);
      --_focus: var(--edgedesk-focus, #79c0ff);
    }
  }
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
  h2 { font-size: 18px; margin: 4px 0 12px; }
  h3 { font-size: 15px; margin: 0 0 6px; }
  p { margin: 0 0 10px; }
  button {
    font: inherit; font-weight: 600; min-height: 36px; min-width: 36px; padding: 6px 14px; border-radius: var(--_radius);
    border: 1px solid var(--_border); background: var(--_bg); color: var(--_fg); cursor: pointer; text-decoration: none;
    display: inline-flex; align-items: center; justify-content: center; gap: 6px;
  }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_on-accent); }
  button[aria-current="page"], button[aria-pressed="true"] { border-color: var(--_accent); box-shadow: inset 0 0 0 1px var(--_accent); }
  button:disabled { opacity: .6; cursor: progress; }
  :focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
  label, .label { display: block; font-weight: 600; margin-bottom: 4px; }
  .field { margin-bottom: 16px; }
  .hint { color: var(--_muted); font-size: 14px; margin: 2px 0 6px; }
  input, select, textarea {
    font: inherit; color: var(--_fg); background: var(--_bg); width: 100%; min-height: 40px; padding: 8px 10px;
    border: 1px solid var(--_border); border-radius: var(--_radius);
  }
  textarea { min-height: 140px; resize: vertical; }
  [aria-invalid="true"] { border-color: var(--_danger); border-width: 2px; }
  .error { color: var(--_danger); font-size: 14px; font-weight: 600; margin: 4px 0 0; }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  details { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 8px 12px; margin-bottom: 16px; background: var(--_surface); }
  summary { cursor: pointer; font-weight: 600; min-height: 24px; }
  ul.guide { margin: 6px 0; padding-inline-start: 20px; }
  .notice { padding: 10px 12px; border-radius: var(--_radius); background: var(--_surface); border: 1px solid var(--_border); margin-bottom: 12px; }
  .notice.bad { border-color: var(--_danger); }
  .badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
  .s-open { color: #0550ae; } .s-answered { color: #116329; } .s-in_progress { color: #7d4e00; } .s-on_hold { color: #6e40c9; } .s-closed { color: var(--_muted); }
  @media (prefers-color-scheme: dark) {
    .s-open { color: #79c0ff; } .s-answered { color: #56d364; } .s-in_progress { color: #e3b341; } .s-on_hold { color: #d2a8ff; }
  }
`;

/**
 * Adds an on-demand module's styles to the shadow root it renders in, so the first view's
 * stylesheet carries only what it shows. Here, in the first view's code, so that the modules
 * loaded later share it rather than fetch a chunk of its own.
 */
export function adoptStyles(root: Node, sheet: CSSResult): void {
  const css = sheet.styleSheet;
  if (root instanceof ShadowRoot && css && !root.adoptedStyleSheets.includes(css))
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, css];
}
