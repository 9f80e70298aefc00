import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The closed set of error codes a client can branch on. */
const CODES = {
  bad_request: { status: 400, title: "Bad request" },
  malformed_json: { status: 400, title: "Malformed JSON" },
  validation_failed: { status: 400, title: "Validation failed" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  changed_meanwhile: { status: 409, title: "Changed meanwhile" },
  idempotency_key_reused: { status: 422, title: "Idempotency key reused" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  length_required: { status: 411, title: "Length required" },
  file_too_large: { status: 413, title: "File too large" },
  unsupported_file_type: { status: 415, title: "File type not accepted" },
  attachment_refused: { status: 422, title: "Attachment refused" },
  rate_limited: { status: 429, title: "Too many requests" },
  pending_uploads_full: { status: 429, title: "Too many files waiting to be attached" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof CODES;

export interface FieldError {
  /** JSON path of the offending field, e.g. `fields.host` or `guest.email`. */
  path: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
}

/** The one error type of the API; `onError` turns it into problem+json. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  /** Seconds until the caller may try again (a `Retry-After` header), for `rate_limited`. */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, detail: string, errors?: FieldError[], retryAfter?: number) {
    super(CODES[code].status, { message: detail });
    this.code = code;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }

  toProblem(): Problem {
    const problem: Problem = {
      type: `https://edgedesk.dev/problems/${this.code.replaceAll("_", "-")}`,
      title: CODES[this.code].title,
      status: this.status,
      code: this.code,
      detail: this.message,
    };
    if (this.errors) problem.errors = this.errors;
    return problem;
  }
}

export function fieldError(path: string, message: string): ApiError {
  return new ApiError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

export const notFound = (what = "ticket") => new ApiError("not_found", `No such ${what}.`);

/** A 429 saying when to come back: the binding does not tell, so the period of the limit that refused. */
export function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError(
    "rate_limited",
    `Too many requests; try again in ${retryAfterSeconds} seconds.`,
    undefined,
    retryAfterSeconds,
  );
}

export function problemResponse(error: ApiError, headers?: HeadersInit): Response {
  const res = new Response(JSON.stringify(error.toProblem()), {
    status: error.status,
    headers: {
      "content-type": "application/problem+json; charset=utf-8",
      ...(error.retryAfter !== undefined && { "retry-after": String(error.retryAfter) }),
      ...headers,
    },
  });
  return res;
}

/** Maps Hono's own HTTP exceptions (bad JSON, body limit) onto our codes. */
export function fromHttpException(e: HTTPException): ApiError {
  if (e instanceof ApiError) return e;
  switch (e.status) {
    case 400:
      return new ApiError(
        /json/i.test(e.message) ? "malformed_json" : "bad_request",
        /json/i.test(e.message) ? "The request body is not valid JSON." : e.message || "Bad request.",
      );
    case 401:
      return new ApiError("unauthorized", e.message || "Authentication required.");
    case 404:
      return new ApiError("not_found", e.message || "Not found.");
    case 413:
      return new ApiError("payload_too_large", "The request body is larger than this endpoint accepts.");
    case 415:
      return new ApiError("unsupported_media_type", e.message || "Unsupported media type.");
    default:
      return new ApiError("internal", "Something went wrong on our side.");
  }
}
