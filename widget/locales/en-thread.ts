/**
 * The thread view's strings. Apart from en.ts so that the first view, which has no thread, does
 * not carry them; the Russian ones ride in ru.ts (`ruThread`), itself loaded on demand. Every
 * locale must have every key (checked by the compiler).
 */
export const enThread = {
  attachments: "Attachments",
  back: "Back to my tickets",
  staff: "Support team",
  system: "System",
  internalNote: "Internal note",
  helpfulQuestion: "Was this helpful?",
  voteSaved: "Thanks for your feedback.",
  reply: "Your reply",
  replyClosedHint: "This ticket is closed. Replying re-opens it.",
  sendReply: "Send reply",
  replySent: "Reply sent.",
  alreadySent:
    "An earlier version of this reply already reached us: it is in the thread above. Sending again posts this text as a new reply.",
  closeTicket: "Close ticket",
  reopenTicket: "Re-open ticket",
  statusChanged: "Ticket status: {status}.",
  history: "History",
  historyEntry: "{from} → {to}: {reason}",
} as const;

export type ThreadKey = keyof typeof enThread;
export type ThreadCatalogue = Record<ThreadKey, string>;
