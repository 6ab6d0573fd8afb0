/**
 * A list of requests kept by id: a query's page and the live events both write into it, and
 * the newer `version` of a request wins whichever arrives last (a page read before an event
 * it crossed must not put the request back in its older state).
 */
import { h, timeOf } from "./dom.js";
import { priorityLabel, statusLabel } from "./labels.js";
import type { BoardRequest } from "./types.js";

export type Order = "newest-first" | "as-given";

export class RequestList {
  readonly element: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;
  private requests: BoardRequest[] = [];

  constructor(
    label: string,
    private readonly order: Order,
    emptyText: string,
  ) {
    this.element = h("ul", { class: "requests", "aria-label": label });
    this.empty = h("p", { class: "empty" }, emptyText);
  }

  /** The list and its "nothing here" line, to place in the page. */
  nodes(): Node[] {
    return [this.element, this.empty];
  }

  /** A fresh page: replaces the list but keeps a request an event already moved further. */
  replace(page: readonly BoardRequest[]): void {
    const known = new Map(this.requests.map((request) => [request.id, request]));
    this.requests = page.map((request) => {
      const seen = known.get(request.id);
      return seen && seen.version > request.version ? seen : request;
    });
    this.render();
  }

  /** Adds or updates a request; returns false when the list already held a newer version. */
  upsert(request: BoardRequest): boolean {
    const index = this.requests.findIndex((known) => known.id === request.id);
    if (index >= 0 && this.requests[index]!.version > request.version) return false;
    if (index >= 0) this.requests[index] = request;
    else this.requests.push(request);
    this.render();
    return true;
  }

  remove(id: string): void {
    this.requests = this.requests.filter((request) => request.id !== id);
    this.render();
  }

  private render(): void {
    const shown =
      this.order === "newest-first"
        ? [...this.requests].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
        : this.requests;
    this.element.replaceChildren(...shown.map(item));
    this.empty.hidden = shown.length > 0;
  }
}

function item(request: BoardRequest): HTMLLIElement {
  const lines = request.items.map((line) => `${line.item.name} × ${line.quantity} ${line.item.unit}`).join(", ");
  const breached = request.sla?.breached === true;
  return h(
    "li",
    {
      class: `request status-${request.status.toLowerCase()}${breached ? " breached" : ""}`,
      "data-request-id": request.id,
      "data-number": request.number,
      "data-status": request.status,
    },
    h(
      "div",
      { class: "line" },
      h("strong", { class: "number" }, request.number),
      h("span", { class: "badge status" }, statusLabel[request.status]),
      h(
        "span",
        { class: `badge priority priority-${request.priority.toLowerCase()}` },
        priorityLabel[request.priority],
      ),
      breached ? h("span", { class: "badge late" }, "Atrasada") : null,
    ),
    h("div", { class: "items" }, lines || "Sem itens"),
    h(
      "div",
      { class: "meta" },
      `${request.dispenser.name} · ${request.ward} · por ${request.requester.fullName} · ${timeOf(request.createdAt)}`,
      request.assignee ? ` · com ${request.assignee.fullName}` : "",
    ),
  );
}
