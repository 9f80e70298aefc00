import { css } from "lit";

/**
 * The picker and a message's files. They render inside the shadow root of the view that shows
 * them (the form, the thread), so they share its buttons, hints and `--_*` variables; the picker
 * adds this sheet to that root when its module loads, which keeps it out of the first view.
 */
export const styles = css`
  .attachments { border: 0; padding: 0; margin: 0 0 16px; min-width: 0; }
  .attachments legend { padding: 0; }
  .dropzone {
    width: 100%; min-height: 64px; flex-wrap: wrap; font-weight: 400; border: 2px dashed var(--_border);
    background: var(--_surface);
  }
  .dropzone strong { text-decoration: underline; text-underline-offset: 3px; }
  .dropzone.over { border-color: var(--_accent); border-style: solid; }
  .uploads, .files { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 8px; }
  .upload { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding: 8px 10px; border: 1px solid var(--_border); border-radius: var(--_radius); }
  .upload.refused, .upload.failed { border-color: var(--_danger); }
  .upload .about { flex: 1 1 12rem; min-width: 0; display: grid; gap: 2px; }
  .upload .actions { display: flex; gap: 6px; }
  .upload progress { width: 100%; height: 8px; accent-color: var(--_accent); }
  .upload .error { margin: 0; }
  .files { display: flex; flex-wrap: wrap; }
  .file {
    display: flex; gap: 8px; align-items: center; min-height: 44px; padding: 4px 12px 4px 4px; color: var(--_fg);
    background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); text-decoration: none;
  }
  .file:hover .name { text-decoration: underline; }
  .file .about { display: grid; }
  .name { font-weight: 600; overflow-wrap: anywhere; }
  .size, .status { color: var(--_muted); font-size: 13px; }
  .thumb, .ext { width: 48px; height: 48px; flex: none; border-radius: calc(var(--_radius) - 2px); border: 1px solid var(--_border); object-fit: cover; }
  .ext {
    display: grid; place-items: center; font-size: 12px; font-weight: 700; text-transform: uppercase; color: var(--_muted);
    background: var(--_surface);
  }
`;
