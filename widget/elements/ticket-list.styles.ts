import { css } from "lit";

export const styles = css`
  .list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
  .ticket { width: 100%; display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 2px 12px; text-align: start; font-weight: 400; padding: 10px 12px; }
  .ticket .subject { font-weight: 600; }
  .ticket .meta { color: var(--_muted); font-size: 13px; grid-column: 1 / -1; }
`;
