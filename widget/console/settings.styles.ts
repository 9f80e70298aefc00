import { css } from "lit";

/** The admin screens' own styles, on top of the widget's theme (theme.styles.ts). */
export const adminStyles = css`
  :host { font-family: var(--_font); color: var(--_fg); background: var(--_bg); padding: 16px; }
  nav.sections { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 16px; }
  form.section, section.section { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 16px; margin-bottom: 20px; background: var(--_bg); }
  form.section > h3, section.section > h3 { font-size: 17px; margin: 0 0 12px; }
  h4 { font-size: 15px; margin: 12px 0 6px; }
  fieldset { border: 1px solid var(--_border); border-radius: var(--_radius); margin: 0 0 16px; padding: 10px 14px; }
  legend { font-weight: 600; padding: 0 4px; }
  .row { align-items: flex-start; }
  .row > .field { flex: 1 1 200px; }
  .field.short { max-width: 520px; }
  .field.short input { max-width: 12em; }
  .row > .field.short { flex: 0 1 auto; }
  .field.check { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
  .field.check input { width: 20px; min-height: 20px; height: 20px; }
  .field.check label { margin: 0; font-weight: 500; }
  .field.check .hint, .field.check .error { flex-basis: 100%; }
  label.inline { display: inline-flex; align-items: center; gap: 6px; font-weight: 500; min-height: 36px; margin-right: 8px; }
  label.inline input { width: 20px; min-height: 20px; height: 20px; }
  .item { border-top: 1px dashed var(--_border); padding: 10px 0; }
  .day { display: grid; grid-template-columns: 140px 1fr; gap: 8px; align-items: start; padding: 6px 0; border-top: 1px dashed var(--_border); }
  .day-name { font-weight: 600; padding-top: 8px; }
  .spans .span { margin-bottom: 4px; }
  .spans .span .field { margin-bottom: 6px; }
  .spans .span button { margin-top: 26px; }
  .accent { display: flex; align-items: flex-start; gap: 10px; flex-wrap: wrap; }
  .accent .field { flex: 0 1 320px; }
  .accent input[type="color"] { width: 48px; min-height: 40px; padding: 2px; margin-top: 28px; }
  .swatch { margin-top: 28px; min-width: 48px; min-height: 40px; display: inline-flex; align-items: center; justify-content: center; border-radius: var(--_radius); color: #fff; font-weight: 700; border: 1px solid var(--_border); }
  .contrast { font-size: 14px; }
  .contrast.low { color: var(--_danger); font-weight: 600; }
  .preview { background: var(--_surface); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 10px 14px; margin-bottom: 12px; }
  .openings { margin: 4px 0; padding-inline-start: 20px; }
  .once { border: 2px solid var(--_accent); border-radius: var(--_radius); padding: 10px 12px; margin: 8px 0; background: var(--_surface); }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; background: var(--_surface); padding: 2px 4px; border-radius: 4px; }
  .actions { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-top: 8px; }
  .status { margin: 0; font-weight: 600; }
  .status.bad { color: var(--_danger); }
  table { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--_border); vertical-align: top; }
  ul.plain { list-style: none; padding: 0; margin: 0 0 12px; }
  ul.plain > li { border-bottom: 1px solid var(--_border); padding: 10px 0; }
  .body-preview { white-space: pre-wrap; color: var(--_muted); font-size: 14px; margin: 4px 0 8px; }
  dl.placeholders { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 4px 0 12px; }
  dl.placeholders dd { margin: 0; }
`;
