import { html, type TemplateResult } from "lit";
import type { Locale } from "../i18n";
import type { AttachmentView } from "../types";

/** A message's files in the thread, as download links: a thumbnail for images, else the extension; name and size. */
export function attachmentList(files: AttachmentView[], label: string, locale: Locale): TemplateResult {
  return html`<ul class="files" aria-label=${label}>
    ${files.map(
      (f) => html`<li><a part="attachment" class="file" href=${f.url} download=${f.name}>
        ${
          f.thumbnailUrl
            ? html`<img part="thumbnail" class="thumb" src=${f.thumbnailUrl} alt="" width="48" height="48" loading="lazy">`
            : html`<span class="ext" aria-hidden="true">${extension(f.name).slice(1)}</span>`
        }
        <span class="about"><span class="name">${f.name}</span><span class="size">${formatSize(f.size, locale)}</span></span>
      </a></li>`,
    )}
  </ul>`;
}

/** "2.4 MB", "512 bytes": binary multiples, as the limits are set (10 MB = 10 × 1024 × 1024 bytes). */
export function formatSize(bytes: number, locale: Locale): string {
  const [unit, value] =
    bytes < 1024
      ? ["byte", bytes]
      : bytes < 1024 * 1024
        ? ["kilobyte", bytes / 1024]
        : ["megabyte", bytes / 1024 / 1024];
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit,
    unitDisplay: unit === "byte" ? "long" : "short",
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** The last extension, lower-cased, as the server decides it: `report.PDF.html` → `.html`. */
export function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}
