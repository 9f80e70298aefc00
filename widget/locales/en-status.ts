/**
 * The strings of the thread's status panel (elements/ticket-status-panel.ts): what the customer
 * told us, why the ticket is in its status, "Solved?". Apart from en.ts so that the first view
 * does not carry them; the Russian ones are in ru-status.ts, loaded with the panel on a Russian
 * page. Every locale must have every key (checked by the compiler).
 */
export const enStatus = {
  toldUs: "What you told us",
  sensitiveLabel: "Password or other secret",
  sensitiveProvided: "Provided (only our staff can read it; erased when the ticket closes)",
  onHold: "On hold: {reason}",
  onHoldGeneric: "On hold: we are waiting on a third party, such as the data centre or a software vendor.",
  escalated: "On hold: we have passed your ticket to our upstream provider and will reply when they answer.",
  closesAt: "Closes automatically on {date} unless you reply.",
  closedByYou: "You closed this ticket on {date}.",
  resolvedByYou: "You marked this ticket as resolved on {date}.",
  closedByStaff: "Our staff closed this ticket on {date}.",
  closedByStaffWhy: "Our staff closed this ticket on {date}: {reason}",
  closedAutomatically: "Closed automatically on {date}, as there was no reply.",
  howToReopen: "To re-open it, write a reply below or press “Re-open ticket”.",
  solved: "Solved?",
  solvedClose: "Yes, close the ticket",
  stillBroken: "No, still broken",
  resolvedSaid: "Ticket closed as resolved. Thank you!",
} as const;

export type StatusKey = keyof typeof enStatus;
export type StatusCatalogue = Record<StatusKey, string>;
