/**
 * The thumbnail of a picked image, made in the browser, which has the image at hand already: the
 * centre square (what the thread's 48 px `object-fit: cover` box shows), 96 px for a 2× screen,
 * as WebP (JPEG where the browser cannot encode WebP: Safari). A few KB, sent after the upload
 * (PUT /uploads/{id}/thumbnail) so that opening a thread never downloads the originals.
 * Loaded with the attachment picker, never with the first view.
 */
import { authorization, type Client } from "./api";

/** Pixels a side: 48 CSS px at 2 device pixels each. */
export const THUMBNAIL_SIDE = 96;
/** The server's limit (worker/attachments/thumbnail-check.ts). */
const MAX_BYTES = 16 * 1024;

type Canvas = OffscreenCanvas | HTMLCanvasElement;

/** The thumbnail, or null when the browser cannot decode the file or make a small enough one. */
export async function makeThumbnail(file: Blob): Promise<Blob | null> {
  const image = await createImageBitmap(file).catch(() => null);
  if (!image) return null;
  const side = Math.min(image.width, image.height);
  const size = Math.min(THUMBNAIL_SIDE, side);
  const [x, y] = [(image.width - side) / 2, (image.height - side) / 2];
  // The browser's own high-quality downscale of the centre square, in one step; a browser
  // without the resize options draws it scaled instead.
  const small = await createImageBitmap(image, x, y, side, side, {
    resizeWidth: size,
    resizeHeight: size,
    resizeQuality: "high",
  }).catch(() => null);
  try {
    const canvas: Canvas =
      typeof OffscreenCanvas === "function" ? new OffscreenCanvas(size, size) : document.createElement("canvas");
    canvas.width = canvas.height = size;
    const context = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) return null;
    // JPEG has no transparency: a transparent screenshot gets white, not black, behind it.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, size, size);
    context.imageSmoothingQuality = "high";
    if (small) context.drawImage(small, 0, 0);
    else context.drawImage(image, x, y, side, side, 0, 0, size, size);
    for (const [type, quality] of [
      ["image/webp", 0.8],
      ["image/jpeg", 0.8],
      ["image/jpeg", 0.5],
    ] as const) {
      const blob = await encode(canvas, type, quality);
      // A browser that cannot encode the type hands back a PNG instead: try the next.
      if (blob?.type === type && blob.size <= MAX_BYTES) return blob;
    }
    return null;
  } catch {
    return null;
  } finally {
    image.close();
    small?.close();
  }
}

function encode(canvas: Canvas, type: string, quality: number): Promise<Blob | null> {
  if (canvas instanceof HTMLCanvasElement) return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
  return canvas.convertToBlob({ type, quality });
}

/**
 * Sends an upload's thumbnail. Never rejects: without its thumbnail the file is still attached,
 * and the thread shows its extension instead.
 */
export async function sendThumbnail(client: Client, uploadId: string, thumbnail: Blob): Promise<boolean> {
  for (let refreshed = false; ; refreshed = true) {
    try {
      const credentials = await client.options.credentials(refreshed);
      const auth = authorization(credentials);
      const res = await fetch(client.url(`/uploads/${encodeURIComponent(uploadId)}/thumbnail`), {
        method: "PUT",
        headers: { accept: "application/json", ...(auth && { authorization: auth }) },
        credentials: "omit",
        body: thumbnail,
      });
      if (res.status === 401 && credentials.kind === "token" && !refreshed) continue;
      return res.ok;
    } catch {
      return false;
    }
  }
}
