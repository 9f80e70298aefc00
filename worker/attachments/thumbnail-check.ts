/**
 * What a thumbnail is allowed to be: a small WebP, JPEG or PNG, its type decided from its bytes and
 * its size read from its own header (never the client's Content-Type). The whole file is at most
 * MAX_THUMBNAIL_BYTES, so it is checked in memory before anything is stored.
 */
import { ApiError } from "../errors";

/** The most a thumbnail may weigh: a 96 px WebP of a photo is 2–6 KB. */
export const MAX_THUMBNAIL_BYTES = 16 * 1024;
/** The longest side a thumbnail may have, in pixels (the widget shows 48 CSS px, 96 on a 2× screen). */
export const MAX_THUMBNAIL_SIDE = 256;

export type ThumbnailType = "image/webp" | "image/jpeg" | "image/png";

export interface ThumbnailShape {
  type: ThumbnailType;
  width: number;
  height: number;
}

const refused = (message: string, detail: string) =>
  new ApiError("unsupported_file_type", detail, [{ path: "file", message }]);

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** Type and size from the header, or null when the bytes are none of the three formats (or cut short). */
export function readImageHeader(b: Uint8Array): ThumbnailShape | null {
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, "PNG\r\n\u001a\n") && ascii(b, 12, "IHDR")) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { type: "image/png", width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegShape(b);
  if (b.length >= 30 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return webpShape(b);
  return null;
}

/** A JPEG's size is in its first start-of-frame segment (SOF0–SOF15 but DHT, JPG and DAC). */
function jpegShape(b: Uint8Array): ThumbnailShape | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // no length
      continue;
    }
    const length = ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return null;
      const height = ((b[at + 5] ?? 0) << 8) | (b[at + 6] ?? 0);
      const width = ((b[at + 7] ?? 0) << 8) | (b[at + 8] ?? 0);
      return { type: "image/jpeg", width, height };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) return null; // end or scan before any frame
    at += 2 + length;
  }
  return null;
}

/** WebP's first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended, with the canvas size). */
function webpShape(b: Uint8Array): ThumbnailShape | null {
  const u16 = (at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
  const u24 = (at: number) => u16(at) | ((b[at + 2] ?? 0) << 16);
  const data = 20;
  if (ascii(b, 12, "VP8 ")) {
    if (b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) return null;
    return { type: "image/webp", width: u16(data + 6) & 0x3fff, height: u16(data + 8) & 0x3fff };
  }
  if (ascii(b, 12, "VP8L")) {
    if (b[data] !== 0x2f) return null;
    const bits =
      ((b[data + 1] ?? 0) | ((b[data + 2] ?? 0) << 8) | ((b[data + 3] ?? 0) << 16)) + (b[data + 4] ?? 0) * 2 ** 24;
    return { type: "image/webp", width: (bits & 0x3fff) + 1, height: (Math.floor(bits / 2 ** 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, "VP8X")) return { type: "image/webp", width: u24(data + 4) + 1, height: u24(data + 7) + 1 };
  return null;
}

/** Checks a whole thumbnail; throws the refusal (problem+json with `file` and the reason). */
export function checkThumbnail(bytes: Uint8Array): ThumbnailShape {
  if (bytes.length === 0)
    throw new ApiError("attachment_refused", "The thumbnail is empty.", [{ path: "file", message: "is empty" }]);
  if (bytes.length > MAX_THUMBNAIL_BYTES) throw tooLarge();
  const shape = readImageHeader(bytes);
  if (!shape)
    throw refused("content is not a WebP, JPEG or PNG image", "A thumbnail must be a WebP, JPEG or PNG image.");
  const { width, height } = shape;
  if (width < 1 || height < 1 || width > MAX_THUMBNAIL_SIDE || height > MAX_THUMBNAIL_SIDE) {
    throw new ApiError(
      "attachment_refused",
      `The thumbnail is ${width}×${height} px; a thumbnail is at most ${MAX_THUMBNAIL_SIDE} px a side.`,
      [{ path: "file", message: `is larger than ${MAX_THUMBNAIL_SIDE} px a side` }],
    );
  }
  return shape;
}

export const tooLarge = () =>
  new ApiError("file_too_large", `A thumbnail is at most ${MAX_THUMBNAIL_BYTES / 1024} KB.`, [
    { path: "file", message: `is larger than ${MAX_THUMBNAIL_BYTES / 1024} KB` },
  ]);
