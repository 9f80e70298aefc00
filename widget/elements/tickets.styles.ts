import { css } from "lit";

/**
 * Two tiers: hosts set the public `--edgedesk-*` tokens; the element reads private `--_*`
 * variables that default to them, then to the tenant's branding, then to built-in values.
 */
export const styles = css`
  :host {
    --_accent: var(--edgedesk-accent, var(--_brand-accent, #1f6feb));
    --_on-accent: var(--edgedesk-on-accent, #ffffff);
    --_bg: var(--edgedesk-background, #ffffff);
    --_surface: var(--edgedesk-surface, #f6f8fa);
    --_fg: var(--edgedesk-foreground, #1d2433);
    --_muted: var(--edgedesk-muted, #57606a);
    --_border: var(--edgedesk-border, #c9d1d9);
    --_danger: var(--edgedesk-danger, #b42318);
    --_radius: var(--edgedesk-radius, 8px);
    --_font: var(--edgedesk-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_focus: var(--edgedesk-focus, #0b5cd5);
    display: block;
    background: var(--_bg);
    border-radius: var(--_radius);
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
  /* Inherited text properties are reset here, not on :host: a host page's rules on the element
     itself (even !important ones) beat :host, and would otherwise flow into everything inside. */
  .wrap {
    padding: 16px; color: var(--_fg); font: 400 15px/1.5 var(--_font); font-style: normal; letter-spacing: normal;
    word-spacing: normal; text-transform: none; text-align: start; text-indent: 0; text-shadow: none; white-space: normal;
    visibility: visible; cursor: auto;
  }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; justify-content: space-between; margin-bottom: 12px; }
  .brand { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 17px; }
  .brand img { height: 28px; width: auto; }
  nav { display: flex; gap: 6px; }
  .hours { margin: 0 0 12px; color: var(--_muted); font-size: 14px; }
  h2 { font-size: 18px; margin: 4px 0 12px; }
  h3 { font-size: 15px; margin: 0 0 6px; }
  p { margin: 0 0 10px; }
  button, .button {
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
  input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"] { border-color: var(--_danger); border-width: 2px; }
  .error { color: var(--_danger); font-size: 14px; font-weight: 600; margin: 4px 0 0; }
  .choices { display: grid; gap: 6px; border: 0; padding: 0; margin: 0; }
  .choice { display: flex; gap: 10px; align-items: flex-start; padding: 8px 10px; border: 1px solid var(--_border); border-radius: var(--_radius); font-weight: 400; }
  .choice input { width: 20px; min-height: 20px; height: 20px; margin: 2px 0 0; flex: none; }
  .choice strong { display: block; }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
  details { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 8px 12px; margin-bottom: 16px; background: var(--_surface); }
  summary { cursor: pointer; font-weight: 600; min-height: 24px; }
  ul.guide { margin: 6px 0; padding-inline-start: 20px; }
  .notice { padding: 10px 12px; border-radius: var(--_radius); background: var(--_surface); border: 1px solid var(--_border); margin-bottom: 12px; }
  .notice.bad { border-color: var(--_danger); }
  .list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
  .ticket { width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 2px 12px; text-align: start; font-weight: 400; padding: 10px 12px; }
  .ticket .subject { font-weight: 600; }
  .ticket .meta { color: var(--_muted); font-size: 13px; grid-column: 1 / -1; }
  .badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
  .s-open { color: #0550ae; } .s-answered { color: #116329; } .s-in_progress { color: #7d4e00; } .s-on_hold { color: #6e40c9; } .s-closed { color: var(--_muted); }
  @media (prefers-color-scheme: dark) {
    .s-open { color: #79c0ff; } .s-answered { color: #56d364; } .s-in_progress { color: #e3b341; } .s-on_hold { color: #d2a8ff; }
  }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  .link { font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; }
`;
