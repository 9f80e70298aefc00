/** Files for the worker tests: raw bytes, uploads and downloads as a browser sends them, R2's keys. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Problem } from "../../worker/errors";
import worker from "../../worker/index";
import type { UploadView } from "../../worker/schemas/ticket";

export const bytes = (...parts: (string | number[])[]) => {
  const chunks = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : new Uint8Array(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

/** POSTs raw bytes as a browser's XHR would: the body with its Content-Length. */
export async function upload(
  tenantId: string,
  name: string,
  body: Uint8Array | null,
  auth: { token?: string; key?: string },
  options: { ticket?: string; length?: string | null } = {},
): Promise<{ status: number; body: { upload: UploadView } & Problem }> {
  const headers = new Headers({ "content-type": "application/octet-stream" });
  if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
  if (auth.key) headers.set("authorization", `Key ${auth.key}`);
  const length = options.length === undefined ? String(body?.length ?? 0) : options.length;
  if (length !== null) headers.set("content-length", length);
  const params = new URLSearchParams({ name, ...(options.ticket && { ticket: options.ticket }) });
  const request = new Request(`https://desk.example.com/api/v1/${tenantId}/uploads?${params}`, {
    method: "POST",
    headers,
    body: body === null ? null : length === null ? new Blob([body]).stream() : body,
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as { upload: UploadView } & Problem };
}

export async function download(
  url: string,
  auth: { token?: string; key?: string } = {},
  headers: Record<string, string> = {},
) {
  const h = new Headers(headers);
  if (auth.token) h.set("authorization", `Bearer ${auth.token}`);
  if (auth.key) h.set("authorization", `Key ${auth.key}`);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(url.startsWith("http") ? url : `https://desk.example.com${url}`, { headers: h }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

export const objects = async (tenantId: string) =>
  (await env.FILES.list({ prefix: `${tenantId}/` })).objects.map((o) => o.key);

/** PUTs a thumbnail for an upload, as the widget does. */
export async function putThumbnail(
  tenantId: string,
  uploadId: string,
  body: Uint8Array,
  auth: { token?: string; key?: string },
  bindings: typeof env = env,
): Promise<{
  status: number;
  headers: Headers;
  body: Problem & { thumbnail: { type: string; size: number; width: number; height: number } };
}> {
  const headers = new Headers({ "content-type": "application/octet-stream", "content-length": String(body.length) });
  if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
  if (auth.key) headers.set("authorization", `Key ${auth.key}`);
  const request = new Request(`https://desk.example.com/api/v1/${tenantId}/uploads/${uploadId}/thumbnail`, {
    method: "PUT",
    headers,
    body,
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}
