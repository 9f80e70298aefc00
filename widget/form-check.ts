import { acceptedAnswers, isIpOrHostname } from "../worker/tickets/fields";
import { MESSAGE_MAX, SUBJECT_MAX } from "./elements/notice";
import type { Messages } from "./i18n";
import type { Department } from "./types";

export type FormValues = Record<string, string | boolean>;

/** The same rules the server applies, checked before sending so people see them at once. */
export function checkForm(
  values: FormValues,
  department: Department | undefined,
  guest: boolean,
  t: Messages,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const text = (key: string) => (typeof values[key] === "string" ? (values[key] as string).trim() : "");
  if (!department) errors.department = t.msg("required");
  const subject = text("subject");
  if (!subject) errors.subject = t.msg("required");
  else if (subject.length < 3) errors.subject = t.msg("tooShort", { n: 3 });
  else if (subject.length > SUBJECT_MAX) errors.subject = t.msg("tooLong", { n: SUBJECT_MAX });
  const message = text("message");
  if (!message) errors.message = t.msg("required");
  else if (message.length > MESSAGE_MAX) errors.message = t.msg("tooLong", { n: MESSAGE_MAX });
  if (guest) {
    if (!text("guest.name")) errors["guest.name"] = t.msg("required");
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text("guest.email"))) errors["guest.email"] = t.msg("invalidEmail");
  }
  for (const field of department?.fields ?? []) {
    const key = `fields.${field.id}`;
    const value = values[key];
    const blank = value === undefined || value === "";
    if (blank) {
      if (field.required) errors[key] = t.msg("required");
      continue;
    }
    if (field.kind === "host" && !isIpOrHostname(String(value).trim().toLowerCase()))
      errors[key] = t.msg("invalidHost");
    if (field.kind === "yesno" && !acceptedAnswers(field).includes(value === true))
      errors[key] = field.mustBeYesReason ? t.tenant(field.mustBeYesReason) : t.msg("mustBeYes");
    if (field.kind === "text" && String(value).length > field.maxLength)
      errors[key] = t.msg("tooLong", { n: field.maxLength });
  }
  return errors;
}
