import type { FieldError } from "../errors";
import type { Department, FieldDefinition } from "../schemas/tenant";
import type { FieldValues } from "../schemas/ticket";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** An IPv4 or IPv6 address, or a DNS hostname with at least two labels (e.g. example.com). */
export function isIpOrHostname(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (value.includes(":")) {
    // The URL parser knows every IPv6 spelling; we only ask it whether this is one.
    try {
      return new URL(`http://[${value}]/`).hostname.length > 2;
    } catch {
      return false;
    }
  }
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  if (name.length > 253) return false;
  const labels = name.split(".");
  if (labels.length < 2 || /^\d+$/.test(labels.at(-1) ?? "")) return false;
  return labels.every((l) => HOST_LABEL.test(l));
}

/**
 * The answers a yes/no field accepts: only yes when it must be yes. The form offers exactly
 * these (widget/elements/ticket-form.ts), and the check below refuses the others.
 */
export function acceptedAnswers(def: { mustBeYes: boolean }): boolean[] {
  return def.mustBeYes ? [true] : [true, false];
}

function checkOne(
  def: FieldDefinition,
  raw: string | boolean | undefined,
): { value?: string | boolean; error?: string } {
  const blank = raw === undefined || (typeof raw === "string" && raw.trim() === "");
  if (blank) return def.required ? { error: "is required" } : {};
  switch (def.kind) {
    case "text": {
      if (typeof raw !== "string") return { error: "must be text" };
      const v = raw.trim();
      return v.length > def.maxLength ? { error: `must be at most ${def.maxLength} characters` } : { value: v };
    }
    case "host": {
      if (typeof raw !== "string") return { error: "must be text" };
      const v = raw.trim().toLowerCase();
      return isIpOrHostname(v) ? { value: v } : { error: "must be an IP address or a hostname such as example.com" };
    }
    case "yesno": {
      if (typeof raw !== "boolean") return { error: "must be true or false" };
      if (!acceptedAnswers(def).includes(raw)) return { error: def.mustBeYesReason ?? "must be yes" };
      return { value: raw };
    }
    case "select": {
      if (typeof raw !== "string" || !def.options.some((o) => o.value === raw))
        return { error: `must be one of ${def.options.map((o) => o.value).join(", ")}` };
      return { value: raw };
    }
  }
}

/** Checks a ticket's extra field values against its department's definitions. */
export function checkDepartmentFields(
  department: Department,
  values: FieldValues,
): { values: FieldValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const clean: FieldValues = {};
  for (const id of Object.keys(values)) {
    if (!department.fields.some((f) => f.id === id))
      errors.push({ path: `fields.${id}`, message: `is not a field of ${department.name}` });
  }
  for (const def of department.fields) {
    const result = checkOne(def, values[def.id]);
    if (result.error) errors.push({ path: `fields.${def.id}`, message: result.error });
    else if (result.value !== undefined) clean[def.id] = result.value;
  }
  return { values: clean, errors };
}
