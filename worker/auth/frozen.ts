/**
 * Freezes a value and everything in it, for what an isolate shares between requests (cached
 * tenants, verified token claims): a request that tries to change it throws instead of changing
 * what the next request sees.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
