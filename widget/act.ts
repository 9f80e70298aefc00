import { ApiProblem } from "./api";
import { EdgedeskErrorEvent } from "./events";
import type { Result, Session } from "./session";

/**
 * A request whose failure is shown next to the action that failed (the console's controls, the
 * staff reply box) rather than in the frame's notice: like `Session.call`, it fires
 * `edgedesk-error` on `target`, but it leaves the notice alone and returns the problem.
 */
export async function act<T>(
  session: Session,
  target: EventTarget,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Result<T>> {
  try {
    return { ok: true, value: await session.client.request<T>(method, path, body, headers) };
  } catch (error) {
    const problem = error instanceof ApiProblem ? error : new ApiProblem(0, "network", String(error));
    target.dispatchEvent(new EdgedeskErrorEvent(problem));
    return { ok: false, problem };
  }
}

/** What a person reads about a failure beside its action: the field messages, else the problem's detail. */
export function problemText(session: Session, problem: ApiProblem): string {
  if (problem.isNetwork) return session.t.msg("networkError");
  if (problem.retryAfter) return session.t.msg("tooManyRequests", { seconds: problem.retryAfter });
  const fields = problem.errors.map((e) => e.message).join(" ");
  return fields ? `${problem.detail} ${fields}` : problem.detail;
}
