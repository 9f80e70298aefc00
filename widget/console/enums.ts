/** The API's statuses and priorities as plain lists, without the Worker's zod (the widget bundles no schema). */
import type { Priority, Status } from "../types";

export const STATUSES: readonly Status[] = ["open", "in_progress", "answered", "on_hold", "closed"];
export const PRIORITIES: readonly Priority[] = ["information", "low", "medium", "high", "urgent"];
