import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { theme } from "../elements/theme.styles";
import { statusBadge } from "../elements/ticket-status";
import type { Session } from "../session";
import { styles } from "./console.styles";
import { elapsed, overdue, shortDateTime } from "./format";
import { type ConsoleRoute, formatRoute } from "./route";
import type { ConsoleText } from "./text";
import { COUNTS_EVERY_MS, QUEUE_VIEWS, type QueueCounts, type QueuePage, type QueueRow, type QueueView } from "./types";

/**
 * The console's queue: the saved views with their counts, search, sort, and the tickets of the
 * chosen view as a table, a page at a time. Views, rows and search go through the URL hash (the
 * console owns `route` and hands it down), so the browser's Back and a pasted link work.
 *
 * @internal Part of <edgedesk-console>; not for pages.
 *
 * @fires {CustomEvent<Partial<ConsoleRoute>>} edgedesk-route - Search or sort changed. For the parent: does not bubble
 */
export class EdgedeskConsoleQueue extends LitElement {
  static override styles = [theme, styles];
  static override properties = {
    session: { attribute: false },
    text: { attribute: false },
    route: { attribute: false },
    rows: { state: true },
    counts: { state: true },
    nextCursor: { state: true },
    busy: { state: true },
    selected: { state: true },
  };

  declare session: Session;
  declare text: ConsoleText;
  declare route: ConsoleRoute;
  declare rows: QueueRow[] | undefined;
  /** Each view's count as shown: "12", or "999+" at the server's cap. */
  declare counts: Record<QueueView, string> | undefined;
  declare nextCursor: string | null;
  declare busy: boolean;
  /** The row j/k moved to. */
  declare selected: number;

  #countsTimer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.nextCursor = null;
    this.busy = false;
    this.selected = -1;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Only while someone can see them: a tab in the background asks nothing (one D1 round trip each).
    this.#countsTimer = setInterval(() => {
      if (document.visibilityState === "visible") void this.#loadCounts();
    }, COUNTS_EVERY_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#countsTimer);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get("route");
    const now = this.route;
    if (changed.has("route") && (!before || before.view !== now.view || before.q !== now.q || before.sort !== now.sort))
      void this.refresh();
  }

  /** Loads the counts and the first page again (e.g. back from a ticket). */
  async refresh(): Promise<void> {
    await Promise.all([this.#loadCounts(), this.load()]);
  }

  async #loadCounts(): Promise<void> {
    const counts = await this.session.call<{ counts: QueueCounts; cap?: number }>("GET", "/queue/counts");
    if (!counts.ok) return;
    // A count equal to the cap means "the cap or more".
    const cap = counts.value.cap;
    this.counts = Object.fromEntries(
      Object.entries(counts.value.counts).map(([view, n]) => [
        view,
        cap !== undefined && n >= cap ? `${cap - 1}+` : String(n),
      ]),
    ) as Record<QueueView, string>;
  }

  /** The first page of the view, or with `more` the next one. */
  async load(more = false): Promise<void> {
    const { view, q, sort } = this.route;
    const params = new URLSearchParams({ view, sort, limit: "25" });
    if (q) params.set("q", q);
    if (more && this.nextCursor) params.set("cursor", this.nextCursor);
    this.busy = true;
    const page = await this.session.call<QueuePage>("GET", `/queue?${params}`, undefined, {
      retry: () => void this.load(more),
    });
    this.busy = false;
    if (!page.ok) return;
    this.rows = more ? [...(this.rows ?? []), ...page.value.tickets] : page.value.tickets;
    this.nextCursor = page.value.nextCursor;
    if (!more) this.selected = -1;
  }

  /** Moves the selection `delta` rows (j/k) and focuses that row's link. */
  move(delta: number): void {
    const rows = this.rows ?? [];
    if (!rows.length) return;
    this.selected = Math.min(rows.length - 1, Math.max(0, this.selected + delta));
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`tr[data-index="${this.selected}"] a`)?.focus(),
    );
  }

  /** Opens the selected row's ticket (Enter). */
  openSelected(): void {
    const row = this.rows?.[this.selected];
    if (row) location.hash = formatRoute({ ...this.route, ticket: row.id });
  }

  #ask(change: Partial<ConsoleRoute>): void {
    this.dispatchEvent(new CustomEvent<Partial<ConsoleRoute>>("edgedesk-route", { detail: change }));
  }

  #row(r: QueueRow, i: number): TemplateResult {
    const t = this.session.t;
    const x = this.text;
    const department = this.session.config?.departments.find((d) => d.id === r.department);
    const late = overdue(r.respondBy);
    return html`<tr data-index=${i} class=${i === this.selected ? "selected" : ""}>
      <td class="nowrap">#${r.number}</td>
      <td class="subject"><a href=${formatRoute({ ...this.route, ticket: r.id })} @focus=${() => (this.selected = i)}>${r.subject}</a></td>
      <td class="c-requester">${r.requester.name}</td>
      <td class="c-service">${r.serviceHost ?? r.service?.label ?? "—"}</td>
      <td class="c-department">${department ? t.tenant(department.name) : r.department}</td>
      <td class="c-priority nowrap">${t.msg(`priority_${r.priority}`)}</td>
      <td class="nowrap">${statusBadge(t, r.status)}</td>
      <td class="c-assignee">${r.assigneeName ?? r.assignee ?? x.msg("unassigned")}</td>
      <td class="c-waiting nowrap">${r.waitingSince ? elapsed(x, r.waitingSince) : "—"}</td>
      <td class="c-respond nowrap ${late ? "overdue" : ""}">${
        r.respondBy
          ? html`<time datetime=${r.respondBy} title=${t.dateTime(r.respondBy)}>${shortDateTime(t.locale, r.respondBy)}</time>${late ? ` (${x.msg("overdue")})` : ""}`
          : "—"
      }</td>
    </tr>`;
  }

  protected override render(): TemplateResult {
    const t = this.session.t;
    const x = this.text;
    const route = this.route;
    return html`<section aria-labelledby="queue-title">
      <h2 id="queue-title" class="sr-only" tabindex="-1">${x.msg("tabQueue")}</h2>
      <nav aria-label=${x.msg("views")}><ul>
        ${QUEUE_VIEWS.map((v) => {
          const count = this.counts?.[v];
          return html`<li><a class="tab" href=${formatRoute({ ...route, view: v, ticket: null })}
            aria-current=${route.view === v ? "page" : "false"}
            >${x.msg(`view_${v}`)}${count === undefined ? nothing : html` <span class="count">${count}</span>`}</a></li>`;
        })}
      </ul></nav>
      <div class="toolbar">
        <form role="search" @submit=${(e: Event) => {
          e.preventDefault();
          const input = (e.target as HTMLFormElement).querySelector("input")!;
          this.#ask({ q: input.value.trim() });
        }}>
          <div class="field" style="flex: 1">
            <label for="q">${x.msg("search")}</label>
            <input part="input" id="q" type="search" .value=${route.q} placeholder=${x.msg("searchHint")}>
          </div>
          <button part="button" type="submit">${x.msg("search")}</button>
        </form>
        <div class="field">
          <label for="sort">${x.msg("sort")}</label>
          <select part="input" id="sort" @change=${(e: Event) => this.#ask({ sort: (e.target as HTMLSelectElement).value === "waiting" ? "waiting" : "activity" })}>
            ${(["activity", "waiting"] as const).map((s) => html`<option value=${s} ?selected=${route.sort === s}>${x.msg(`sort_${s}`)}</option>`)}
          </select>
        </div>
      </div>
      ${
        this.rows === undefined
          ? html`<p>${t.msg("loading")}</p>`
          : this.rows.length === 0
            ? html`<p class="notice">${x.msg("queueEmpty")}</p>`
            : html`<div class="table-wrap"><table>
              <caption class="sr-only">${x.msg(`view_${route.view}`)}</caption>
              <thead><tr>
                <th scope="col">${x.msg("col_number")}</th><th scope="col">${x.msg("col_subject")}</th>
                <th scope="col" class="c-requester">${x.msg("col_requester")}</th><th scope="col" class="c-service">${x.msg("col_service")}</th>
                <th scope="col" class="c-department">${x.msg("col_department")}</th><th scope="col" class="c-priority">${x.msg("col_priority")}</th>
                <th scope="col">${x.msg("col_status")}</th><th scope="col" class="c-assignee">${x.msg("col_assignee")}</th>
                <th scope="col" class="c-waiting">${x.msg("col_waiting")}</th><th scope="col" class="c-respond">${x.msg("col_respondBy")}</th>
              </tr></thead>
              <tbody>${this.rows.map((r, i) => this.#row(r, i))}</tbody>
            </table></div>`
      }
      ${
        this.nextCursor
          ? html`<p><button part="button" ?disabled=${this.busy} @click=${() => void this.load(true)}>${t.msg("loadMore")}</button></p>`
          : nothing
      }
      <p class="hint">${x.msg("shortcutsHint")}</p>
    </section>`;
  }
}

if (!customElements.get("edgedesk-console-queue"))
  customElements.define("edgedesk-console-queue", EdgedeskConsoleQueue);

declare global {
  interface HTMLElementTagNameMap {
    "edgedesk-console-queue": EdgedeskConsoleQueue;
  }
}
