import { css } from "lit";

/** <edgedesk-tickets>' own rules: the frame, the header, the live region, the guest's link. */
export const styles = css`
  :host { background: var(--_bg); border-radius: var(--_radius); }
  /* Inherited text properties are reset here, not on :host: a host page's rules on the element
     itself (even !important ones) beat :host, and would otherwise flow into everything inside. */
  .wrap {
    padding: 16px; color: var(--_fg); font: 400 15px/1.5 var(--_font); letter-spacing: normal;
    word-spacing: normal; text-transform: none; text-align: start; text-indent: 0; text-shadow: none; white-space: normal;
    visibility: visible; cursor: auto;
  }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; justify-content: space-between; margin-bottom: 12px; }
  .brand { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 17px; }
  .brand img { height: 28px; width: auto; }
  nav { display: flex; gap: 6px; }
  .hours { margin: 0 0 12px; color: var(--_muted); font-size: 14px; }
  .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  .link { font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; }
`;
