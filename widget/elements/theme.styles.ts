import { type CSSResult, css } from "lit";
import { parseColor, textOn } from "../contrast";

/**
 * What every element of the widget shares: the theme and the controls. Two tiers: hosts set the
 * public `--edgedesk-*` tokens; the elements read private `--_*` variables that default to them,
 * then to the tenant's branding, then to built-in values. Each element's :host defines them again
 * from what it inherits, so a view shown alone (the agent console's thread) is themed the same.
 * Light or dark is the `color-scheme` the element gets (`light-dark()` picks): the host page's, or
 * what `theme` asks for (see `followScheme`). Text on the accent is white or black, whichever
 * reads (set by `followScheme` as `--_auto-on-accent`), unless the host sets `--edgedesk-on-accent`.
 */
export const theme = css`
  :host {
    --_accent: var(--edgedesk-accent, var(--_brand-accent, #1f6feb));
    --_on-accent: var(--edgedesk-on-accent, var(--_auto-on-accent, #fff));
    --_bg: var(--edgedesk-background, light-dark(#fff, #0d1117));
    --_surface: var(--edgedesk-surface, light-dark(#f6f8fa, #161b22));
    --_fg: var(--edgedesk-foreground, light-dark(#1d2433, #e6edf3));
    --_muted: var(--edgedesk-muted, light-dark(#57606a, #9da7b3));
    --_border: var(--edgedesk-border, light-dark(#c9d1d9, #3d444d));
    /* Between text and background: 3:1 or more against the background for any readable pair. */
    --_input: var(--edgedesk-input-border, color-mix(in srgb, var(--_fg) 60%, var(--_bg)));
    --_danger: var(--edgedesk-danger, light-dark(#b42318, #ff7b72));
    --_radius: var(--edgedesk-radius, 8px);
    --_font: var(--edgedesk-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_focus: var(--edgedesk-focus, light-dark(#0b5cd5, #79c0ff));
    display: block;
    accent-color: var(--_accent);
    /* A pasted URL or stack trace wraps rather than scrolls the page sideways. */
    overflow-wrap: anywhere;
  }
  :host([theme=light]) { color-scheme: light; }
  :host([theme=dark]) { color-scheme: dark; }
  :host(:state(os)) { color-scheme: light dark; }
  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }
  h2 { font-size: 18px; margin: 4px 0 12px; }
  h3 { font-size: 15px; margin: 0 0 6px; }
  p { margin: 0 0 10px; }
  button {
    font: inherit; font-weight: 600; min-height: 36px; min-width: 36px; padding: 6px 14px; border-radius: var(--_radius);
    border: 1px solid var(--_border); background: var(--_bg); color: var(--_fg); cursor: pointer; text-decoration: none;
    display: inline-flex; align-items: center; justify-content: center; gap: 6px;
    /* A label breaks between words, never inside one ("Sav e") when a row is tight. */
    overflow-wrap: break-word;
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
    border: 1px solid var(--_input); border-radius: var(--_radius);
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
  /* Status badges: the theme's text on a tint of the background, so they read wherever the text does. */
  .badge {
    display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; white-space: nowrap;
    color: var(--_fg); border: 1px solid var(--_tone); background: color-mix(in srgb, var(--_tone) 16%, var(--_bg));
  }
  .s-open { --_tone: var(--_accent); } .s-answered { --_tone: #2da44e; } .s-in_progress { --_tone: #d4a72c; } .s-on_hold { --_tone: #8250df; } .s-closed { --_tone: var(--_muted); }
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

/**
 * Puts a top-level element (`states`: its ElementInternals' custom states) in its colour scheme:
 * `theme="light"` or `"dark"` (CSS above), else the host page's `color-scheme` as the element
 * computes it, and the OS's preference (`:state(os)`) only when the page says nothing. Then picks
 * the text colour on the accent, which a brand colour may have made light. Called after renders:
 * the tenant's brand arrives with the config.
 */
export function followScheme(host: HTMLElement, states: CustomStateSet): void {
  states.delete("os");
  if (getComputedStyle(host).colorScheme === "normal") states.add("os");
  const accent = parseColor(getComputedStyle(host).accentColor);
  if (accent) host.style.setProperty("--_auto-on-accent", textOn(accent));
}
