import { css } from "lit";

export const styles = css`
  /* Shown on its own (not inside <edgedesk-tickets>' frame), the thread sets its own text. */
  :host { color: var(--_fg); font: 400 15px/1.5 var(--_font); }
  .message { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 10px 12px; margin-bottom: 10px; }
  .message.agent { background: var(--_surface); }
  .message.system { border-style: dashed; color: var(--_muted); }
  .message .who { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px; font-size: 14px; color: var(--_muted); margin-bottom: 4px; }
  .message .who strong { color: var(--_fg); }
  .body { white-space: pre-wrap; overflow-wrap: anywhere; }
  /* Staff mode: internal notes stand apart from what the customer sees. */
  .message.note, textarea.note { border: 2px dashed #9a6700; background: rgba(212, 167, 44, .12); }
  .choices { border: 0; padding: 0; margin: 0 0 8px; }
  .choice { display: inline-flex; align-items: center; gap: 6px; font-weight: 400; min-height: 36px; margin-inline-end: 12px; }
  .choice input { width: auto; min-height: 0; }
  .vote { display: flex; align-items: center; gap: 8px; margin-top: 8px; font-size: 14px; }
`;
