/**
 * The attachment picker's strings. Apart from en.ts so that the first view, which has no
 * picker, does not carry them; the Russian ones ride in ru.ts (`ruAttachments`), itself loaded
 * on demand. Every locale must have every key (checked by the compiler).
 */
export const enAttachments = {
  legend: "Attachments",
  hint: "Screenshots and logs help us most: attach them rather than pasting long output into the message.",
  rules: "Accepted: {types}. Up to {size} per file; files per message: up to {count}.",
  choose: "Choose files",
  orDrop: "or drop them here",
  progressLabel: "Upload of {name}",
  uploading: "Uploading… {percent}",
  uploaded: "Uploaded",
  cancelled: "Upload cancelled",
  cancel: "Cancel",
  cancelLabel: "Cancel upload of {name}",
  retry: "Retry",
  retryLabel: "Retry upload of {name}",
  remove: "Remove",
  removeLabel: "Remove {name}",
  badType: "Files of this type can't be attached. Accepted: {types}.",
  tooLarge: "This file is {size}; the limit is {max}.",
  empty: "This file is empty.",
  tooMany: "Files per message: up to {count}.",
  refused: "Not accepted: {detail}",
  failed: "Upload failed: {detail}",
  networkFailed: "Upload failed: support could not be reached.",
  tooManyUploads: "Too many requests — try again in {seconds} seconds.",
  stale:
    "This upload can no longer be attached (uploads are kept for a day, and go on one message); please attach the file again.",
  waitForUploads: "Your files are still uploading. Wait until they finish, or cancel them, then send again.",
  saidUploading: "Uploading {name}.",
  saidUploaded: "{name} uploaded.",
  saidProblem: "{name}: {reason}",
  saidCancelled: "Upload of {name} cancelled.",
  saidRemoved: "{name} removed.",
} as const;

export type AttachmentKey = keyof typeof enAttachments;
export type AttachmentCatalogue = Record<AttachmentKey, string>;
