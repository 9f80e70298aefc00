import { css } from "lit";

export const styles = css`
  .choices { display: grid; gap: 6px; border: 0; padding: 0; margin: 0; }
  .choice { display: flex; gap: 10px; align-items: flex-start; padding: 8px 10px; border: 1px solid var(--_border); border-radius: var(--_radius); font-weight: 400; }
  .choice input { width: 20px; min-height: 20px; height: 20px; margin: 2px 0 0; flex: none; }
  .choice strong { display: block; }
`;
