import { css } from "lit";

/** The console's frame, queue and ticket view (each its own shadow root, with the widget's theme before this). */
export const styles = css`
  :host { color: var(--_fg); font: 400 15px/1.5 var(--_font); }
  .wrap { padding: 16px; background: var(--_bg); border-radius: var(--_radius); }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; justify-content: space-between; margin-bottom: 12px; }
  .brand { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 17px; }
  .brand img { height: 28px; width: auto; }
  nav ul, ul.plain { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
  /* Links in the text colour, underlined: a brand accent need not contrast with either theme's background. */
  a { color: inherit; text-decoration: underline; text-underline-offset: 2px; }
  td.subject a { font-weight: 600; }
  a.tab {
    display: inline-flex; align-items: center; gap: 6px; min-height: 36px; padding: 6px 12px; border-radius: var(--_radius);
    border: 1px solid var(--_border); color: var(--_fg); text-decoration: none; font-weight: 600;
  }
  a.tab[aria-current="page"] { border-color: var(--_accent); box-shadow: inset 0 0 0 1px var(--_accent); }
  .count { font-size: 13px; font-weight: 700; padding: 0 8px; border-radius: 999px; background: var(--_surface); border: 1px solid var(--_border); }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  .toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 12px 0; }
  .toolbar form { display: flex; gap: 6px; align-items: end; flex: 1 1 320px; }
  .toolbar .field { margin: 0; }
  .toolbar input[type="search"] { min-width: 220px; }
  /* The queue: a table that reads at 1280 px and drops its least needed columns when narrow. */
  .table-wrap { container-type: inline-size; overflow-x: auto; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  /* Cells keep their words whole ("Unassigned", not "Unassigne d"); only the subject may break anywhere. */
  th, td { text-align: start; padding: 6px 8px; border-bottom: 1px solid var(--_border); vertical-align: top; overflow-wrap: break-word; }
  th { font-weight: 600; color: var(--_muted); white-space: nowrap; }
  td.subject { min-width: 180px; overflow-wrap: anywhere; }
  td.nowrap { white-space: nowrap; }
  tr.selected { background: var(--_surface); box-shadow: inset 3px 0 0 var(--_accent); }
  .overdue { color: var(--_danger); font-weight: 700; }
  @container (max-width: 1000px) { .c-service, .c-department { display: none; } }
  @container (max-width: 760px) { .c-requester, .c-assignee, .c-respond { display: none; } }
  @container (max-width: 520px) { .c-priority, .c-waiting { display: none; } }
  /* The ticket view: the thread beside the controls, one above the other when narrow. */
  .ticket { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 20px; align-items: start; }
  @media (max-width: 900px) { .ticket { grid-template-columns: minmax(0, 1fr); } }
  aside section, .facts { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 10px 12px; margin-bottom: 12px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 14px; }
  dt { color: var(--_muted); } dd { margin: 0; overflow-wrap: anywhere; }
  form.control { margin-bottom: 12px; }
  form.control .label, form.control label { font-size: 14px; }
  form.control input, form.control select { min-height: 36px; padding: 4px 8px; }
  form.control .row { margin-top: 4px; flex-wrap: nowrap; }
  form.control .row input { flex: 1 1 auto; min-width: 0; }
  .secret { font-family: ui-monospace, monospace; background: var(--_surface); padding: 4px 8px; border-radius: 4px; overflow-wrap: anywhere; }
  .presence { border-color: var(--_accent); }
  dialog { color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); max-width: 480px; }
  dialog::backdrop { background: rgb(0 0 0 / .4); }
  kbd { font-family: ui-monospace, monospace; border: 1px solid var(--_border); border-radius: 4px; padding: 0 6px; background: var(--_surface); }
  textarea.short { min-height: 80px; }
`;
