import { ApiProblem, authorization, type Client, problemOf, safeJson } from "./api";
import type { Upload } from "./types";

/** What `upload` rejects with when the person cancelled it. */
export const CANCELLED = "cancelled";

export interface UploadOptions {
  /** The ticket a reply's file is for; absent for a ticket not filed yet. */
  ticket?: string | undefined;
  onProgress(loaded: number, total: number): void;
}

/**
 * Sends one file to `POST /uploads` as the raw body. XMLHttpRequest, because fetch reports no
 * upload progress. Like Client.request, a refused token is refreshed once and the upload sent
 * again. Rejects with an ApiProblem: the server's, "network", or CANCELLED after `cancel()`.
 */
export function upload(client: Client, file: File, options: UploadOptions): { done: Promise<Upload>; cancel(): void } {
  let xhr: XMLHttpRequest | undefined;
  let cancelled = false;
  const cancelledProblem = () => new ApiProblem(0, CANCELLED, CANCELLED);

  const send = (auth: string | undefined) =>
    new Promise<{ status: number; text: string; retryAfter: string | null }>((resolve, reject) => {
      if (cancelled) return reject(cancelledProblem());
      const params = new URLSearchParams({ name: file.name });
      if (options.ticket) params.set("ticket", options.ticket);
      xhr = new XMLHttpRequest();
      xhr.open("POST", client.url(`/uploads?${params}`));
      xhr.setRequestHeader("accept", "application/json");
      if (auth) xhr.setRequestHeader("authorization", auth);
      xhr.upload.onprogress = (e) => options.onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onload = () =>
        resolve({ status: xhr!.status, text: xhr!.responseText, retryAfter: xhr!.getResponseHeader("retry-after") });
      xhr.onerror = xhr.ontimeout = () => reject(new ApiProblem(0, "network", "network"));
      xhr.onabort = () => reject(cancelledProblem());
      xhr.send(file);
    });

  const done = (async () => {
    let refreshed = false;
    for (;;) {
      const credentials = await client.options.credentials(refreshed);
      const res = await send(authorization(credentials));
      if (res.status === 401 && credentials.kind === "token" && !refreshed) {
        refreshed = true;
        continue;
      }
      const data = res.text ? safeJson(res.text) : null;
      if (res.status !== 201 && res.status !== 200) throw problemOf(res.status, data, res.retryAfter);
      const body = data as { upload?: Upload } | null;
      if (!body?.upload) throw new ApiProblem(res.status, "http_error", `HTTP ${res.status}`);
      return body.upload;
    }
  })();

  return {
    done,
    cancel() {
      cancelled = true;
      xhr?.abort();
    },
  };
}
