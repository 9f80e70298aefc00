/**
 * What an uploaded file is allowed to be. Every decision here is made on the server, from the
 * name's last extension and the bytes themselves; the client's Content-Type is never trusted.
 */
import { hex } from "../auth/encoding";
import { ApiError } from "../errors";
import type { AttachmentExtension } from "../schemas/tenant";

/** C0/C1 controls, and the format characters that can make "exe.pdf" display as "fdp.exe". */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Longest display name kept, in characters (code points; the extension is always kept). */
export const MAX_NAME_LENGTH = 120;

/** The content type we store and serve for each allowed extension. */
export const CONTENT_TYPES: Record<AttachmentExtension, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".pdf": "application/pdf",
  ".txt": "text/plain; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
  ".zip": "application/zip",
};

/** Types a browser may show inline (thumbnails); everything else is only ever downloaded. */
export const INLINE_TYPES = new Set(["image/jpeg", "image/png"]);

/**
 * The name a person sees: no directories (either slash), no control or bidi-override characters,
 * no leading dots, whitespace collapsed, at most MAX_NAME_LENGTH with the extension kept.
 * Returns null when nothing usable is left.
 */
export function cleanFileName(raw: string): string | null {
  const base = raw.split(/[/\\]/).pop() ?? "";
  const cleaned = base
    .normalize("NFC")
    // C0/C1 controls, and the format characters that can make "exe.pdf" display as "fdp.exe".
    .replace(UNSAFE_IN_NAMES, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "")
    .trim();
  if (!cleaned) return null;
  // By code points, so a cut never splits an emoji's surrogate pair.
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return (
    chars
      .slice(0, MAX_NAME_LENGTH - Array.from(ext).length)
      .join("")
      .trimEnd() + ext
  );
}

/** The last extension, lower-cased (`report.PDF.html` → `.html`), or "" when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

const startsWith = (head: Uint8Array, signature: number[]) => signature.every((b, i) => head[i] === b);
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_ENTRY = [0x50, 0x4b, 0x03, 0x04]; // a local file header
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06]; // end of central directory: an empty archive

/** Bytes needed to recognise any allowed type by its start. */
export const SNIFF_BYTES = 8;

const mismatch = (ext: string, what: string) =>
  new ApiError("unsupported_file_type", `The file's content is not ${what}, so it cannot be attached as ${ext}.`, [
    { path: "file", message: `content is not ${what}` },
  ]);

/** Checks the start of a binary file against its extension's signature. */
function checkSignature(ext: AttachmentExtension, head: Uint8Array): void {
  switch (ext) {
    case ".png":
      if (!startsWith(head, PNG)) throw mismatch(ext, "a PNG image");
      return;
    case ".jpg":
    case ".jpeg":
      if (!startsWith(head, JPEG)) throw mismatch(ext, "a JPEG image");
      return;
    case ".pdf":
      if (!startsWith(head, PDF)) throw mismatch(ext, "a PDF document");
      return;
    case ".zip":
      if (!startsWith(head, ZIP_ENTRY) && !startsWith(head, ZIP_EMPTY)) throw mismatch(ext, "a ZIP archive");
      return;
    case ".txt":
    case ".log":
      return;
  }
}

/**
 * A pass-through stream that checks the content as it flows to R2: the signature from the first
 * bytes, and for text the whole file (valid UTF-8, no NUL). It errors the stream on the first
 * bad byte, so R2 never completes the object. `size` and `sha256` are ready once it has closed.
 */
export class ContentCheck {
  readonly stream: TransformStream<Uint8Array, Uint8Array>;
  size = 0;
  /** Why the content was refused, kept because R2 reports only that its stream failed. */
  refusal: ApiError | undefined;
  private readonly digest = new crypto.DigestStream("SHA-256");
  private readonly hashing = this.digest.getWriter();

  constructor(ext: AttachmentExtension) {
    const text = ext === ".txt" || ext === ".log";
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
    let head = new Uint8Array(0);
    let sniffed = false;
    const notText = () =>
      new ApiError("unsupported_file_type", `The file is not plain UTF-8 text, so it cannot be attached as ${ext}.`, [
        { path: "file", message: "content is not UTF-8 text" },
      ]);
    const refuse = (error: ApiError): never => {
      this.refusal = error;
      throw error;
    };
    const signature = (bytes: Uint8Array) => {
      try {
        checkSignature(ext, bytes);
      } catch (error) {
        if (error instanceof ApiError) refuse(error);
        throw error;
      }
    };
    this.stream = new TransformStream<Uint8Array, Uint8Array>({
      transform: async (chunk, controller) => {
        this.size += chunk.byteLength;
        if (!sniffed) {
          const joined = new Uint8Array(head.length + chunk.byteLength);
          joined.set(head);
          joined.set(chunk, head.length);
          head = joined.slice(0, SNIFF_BYTES);
          if (head.length >= SNIFF_BYTES) {
            signature(head);
            sniffed = true;
          }
        }
        if (text) {
          if (chunk.includes(0)) refuse(notText());
          try {
            decoder.decode(chunk, { stream: true });
          } catch {
            refuse(notText());
          }
        }
        await this.hashing.write(chunk);
        controller.enqueue(chunk);
      },
      flush: async () => {
        if (!sniffed) signature(head);
        if (text) {
          try {
            decoder.decode();
          } catch {
            refuse(notText());
          }
        }
        await this.hashing.close();
      },
    });
  }

  /** Hex SHA-256 of everything that passed; call after the stream has closed. */
  async sha256(): Promise<string> {
    return hex(await this.digest.digest);
  }
}
