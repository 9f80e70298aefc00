import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";

const DEFAULT_MAX_JSON_BYTES = 64 * 1024;

/**
 * For a route that takes JSON: a body over MAX_JSON_BYTES is a 413 problem before it is read.
 * Uploads are streamed to R2 and held to the tenant's per-file limit instead.
 */
export function jsonBodyLimit(): MiddlewareHandler<AppEnv> {
  return async function jsonBodyLimit(c, next) {
    const maxSize = Number(c.env.MAX_JSON_BYTES) || DEFAULT_MAX_JSON_BYTES;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("payload_too_large", `The request body is larger than ${maxSize} bytes.`);
      },
    })(c, next);
  };
}
