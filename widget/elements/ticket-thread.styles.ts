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
  .vote { display: flex; align-items: center; gap: 8px; margin-top: 8px; font-size: 14px; }
`;
