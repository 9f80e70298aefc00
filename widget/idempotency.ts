import { loadDraft, saveDraft } from "./session";

/**
 * A draft's Idempotency-Key: chosen when the draft starts and kept with it (`kept` in memory, and
 * in storage at `where`, so a reload too) until it is sent, so that sending again after a lost
 * answer never posts it twice. `renew` starts a new one.
 */
export function keptKey(kept: Map<string, string>, where: string, renew = false): string {
  let key = renew ? null : (kept.get(where) ?? loadDraft<string>(where));
  if (!key) {
    key = crypto.randomUUID();
    saveDraft(where, key);
  }
  kept.set(where, key);
  return key;
}
