/**
 * Drafts live in localStorage until they are sent, so a reload or a failed request loses
 * nothing. Storage may be unavailable (private mode, blocked cookies): then drafts are simply
 * not kept, and nothing breaks.
 */
export function loadDraft<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function saveDraft(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or unavailable: the draft is only kept in memory
  }
}

export function clearDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing to clear
  }
}
