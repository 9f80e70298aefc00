import { html, nothing, type TemplateResult } from "lit";

/** Field errors by the API's dot-joined path (`branding.accentColor`, `hours.mon.0.close`). */
export type FieldErrors = ReadonlyMap<string, string>;

type Bag = Record<string, unknown>;

const isIndex = (segment: string) => /^\d+$/.test(segment);

/** The value at a dot-joined path of `root`, or undefined. */
export function getIn(root: unknown, path: string): unknown {
  let at: unknown = root;
  for (const segment of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Bag)[segment];
  }
  return at;
}

/** Sets (or, for undefined, removes) the value at a dot-joined path, making the objects and arrays on the way. */
export function setIn(root: Bag, path: string, value: unknown): void {
  const segments = path.split(".");
  const last = segments.pop() ?? "";
  let at: Bag = root;
  segments.forEach((segment, i) => {
    const next = at[segment];
    if (next === null || typeof next !== "object") at[segment] = isIndex(segments[i + 1] ?? last) ? [] : {};
    at = at[segment] as Bag;
  });
  if (value === undefined && !Array.isArray(at)) delete at[last];
  else at[last] = value;
}

/** Removes item `index` of the list at `path`. */
export function removeAt(root: Bag, path: string, index: number): void {
  const list = getIn(root, path);
  if (Array.isArray(list)) list.splice(index, 1);
}

/** Appends `item` to the list at `path`, making the list if needed. */
export function append(root: Bag, path: string, item: unknown): void {
  const list = getIn(root, path);
  if (Array.isArray(list)) list.push(item);
  else setIn(root, path, [item]);
}

interface FieldOptions {
  path: string;
  label: string;
  hint?: string | undefined;
}

/**
 * The controls of a settings form, bound to a draft object by the API's paths: each shows its
 * value, writes changes back into the draft, and shows the server's error for its path right
 * under it (`aria-invalid`, `aria-describedby`). One is made per render. Values are written to the
 * draft on `change` and bound without `live()`: a re-render in between (another field's change)
 * must not put the draft's old value back over what is being typed.
 */
export class FormKit {
  constructor(
    readonly draft: Bag,
    readonly errors: FieldErrors,
    readonly lineError: (line: number, message: string) => string,
    readonly changed: () => void,
  ) {}

  id(path: string): string {
    return `f-${path.replace(/[^\w-]/g, "-")}`;
  }

  set(path: string, value: unknown): void {
    setIn(this.draft, path, value);
    this.changed();
  }

  /** The errors for `path` itself, and (as "Line n: …") for the items of a list at `path`. */
  errorsAt(path: string, lines = false): string[] {
    const found: string[] = [];
    for (const [at, message] of this.errors) {
      if (at === path) found.push(message);
      else if (lines && at.startsWith(`${path}.`)) {
        const index = at.slice(path.length + 1).split(".")[0] ?? "";
        found.push(isIndex(index) ? this.lineError(Number(index) + 1, message) : `${at}: ${message}`);
      }
    }
    return found;
  }

  /** The hint and error lines under a control, with the ids it is described by. */
  #below(path: string, hint: string | undefined, errors: string[]): { ids: string; template: TemplateResult } {
    const id = this.id(path);
    const ids = [hint ? `${id}-hint` : "", errors.length ? `${id}-error` : ""].filter(Boolean).join(" ");
    return {
      ids,
      template: html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}${
        errors.length ? html`<p class="error" id="${id}-error">${errors.join(" ")}</p>` : nothing
      }`,
    };
  }

  text(
    o: FieldOptions & {
      type?: "text" | "email" | "url" | "datetime-local";
      optional?: boolean;
      onInput?: boolean;
      size?: "short";
      list?: string;
    },
  ): TemplateResult {
    const errors = this.errorsAt(o.path);
    const below = this.#below(o.path, o.hint, errors);
    const value = getIn(this.draft, o.path);
    const update = (e: Event) => {
      const v = (e.target as HTMLInputElement).value.trim();
      this.set(o.path, v === "" && o.optional ? undefined : v);
    };
    return html`<div class="field ${o.size ?? ""}">
      <label for=${this.id(o.path)}>${o.label}</label>
      <input id=${this.id(o.path)} type=${o.type ?? "text"} list=${o.list ?? nothing} .value=${typeof value === "string" ? value : ""}
        aria-invalid=${errors.length ? "true" : "false"} aria-describedby=${below.ids || nothing}
        @change=${update} @input=${o.onInput ? update : nothing}>
      ${below.template}
    </div>`;
  }

  number(o: FieldOptions & { min?: number; max?: number }): TemplateResult {
    const errors = this.errorsAt(o.path);
    const below = this.#below(o.path, o.hint, errors);
    const value = getIn(this.draft, o.path);
    return html`<div class="field short">
      <label for=${this.id(o.path)}>${o.label}</label>
      <input id=${this.id(o.path)} type="number" inputmode="numeric" min=${o.min ?? nothing} max=${o.max ?? nothing}
        .value=${typeof value === "number" ? String(value) : ""}
        aria-invalid=${errors.length ? "true" : "false"} aria-describedby=${below.ids || nothing}
        @change=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value.trim();
          this.set(o.path, v === "" ? undefined : Number(v));
        }}>
      ${below.template}
    </div>`;
  }

  checkbox(o: FieldOptions): TemplateResult {
    const errors = this.errorsAt(o.path);
    const below = this.#below(o.path, o.hint, errors);
    return html`<div class="field check">
      <input id=${this.id(o.path)} type="checkbox" .checked=${getIn(this.draft, o.path) === true}
        aria-describedby=${below.ids || nothing}
        @change=${(e: Event) => this.set(o.path, (e.target as HTMLInputElement).checked)}>
      <label for=${this.id(o.path)}>${o.label}</label>
      ${below.template}
    </div>`;
  }

  select(
    o: FieldOptions & { options: { value: string; label: string }[]; onChange?: (value: string) => void },
  ): TemplateResult {
    const errors = this.errorsAt(o.path);
    const below = this.#below(o.path, o.hint, errors);
    const value = String(getIn(this.draft, o.path) ?? "");
    return html`<div class="field">
      <label for=${this.id(o.path)}>${o.label}</label>
      <select id=${this.id(o.path)} aria-invalid=${errors.length ? "true" : "false"} aria-describedby=${below.ids || nothing}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          if (o.onChange) o.onChange(v);
          else this.set(o.path, /^\d+$/.test(v) && typeof getIn(this.draft, o.path) === "number" ? Number(v) : v);
        }}>
        ${o.options.map((opt) => html`<option value=${opt.value} ?selected=${opt.value === value}>${opt.label}</option>`)}
      </select>
      ${below.template}
    </div>`;
  }

  /** A list edited as lines of a textarea; `parse` and `format` map lines to the value and back. */
  lines(
    o: FieldOptions & { parse?: (lines: string[]) => unknown; format?: (value: unknown) => string[]; rows?: number },
  ): TemplateResult {
    const errors = this.errorsAt(o.path, true);
    const below = this.#below(o.path, o.hint, errors);
    const value = getIn(this.draft, o.path);
    const lines = o.format ? o.format(value) : Array.isArray(value) ? value.map(String) : [];
    return html`<div class="field">
      <label for=${this.id(o.path)}>${o.label}</label>
      <textarea id=${this.id(o.path)} rows=${o.rows ?? 4} .value=${lines.join("\n")}
        aria-invalid=${errors.length ? "true" : "false"} aria-describedby=${below.ids || nothing}
        @change=${(e: Event) => {
          const items = (e.target as HTMLTextAreaElement).value
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean);
          this.set(o.path, o.parse ? o.parse(items) : items);
        }}></textarea>
      ${below.template}
    </div>`;
  }
}

/** `key=value` lines to pairs; a line without `=` gives an empty value, for the server to refuse. */
export function pairsOf(lines: string[]): [string, string][] {
  return lines.map((line) => {
    const at = line.indexOf("=");
    return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  });
}
