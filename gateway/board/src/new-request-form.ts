/**
 * "Nova solicitação": a cabinet of the nurse's ward, an item found in the catalog, the
 * quantity and the priority. The SDK's createRequest keeps one idempotency key across its own
 * retries, so flaky ward Wi-Fi never makes two requests of one click.
 */
import { documents } from "@asky/client";
import { h } from "./dom.js";
import { messageFor } from "./errors.js";
import { kindLabel, priorityLabel } from "./labels.js";
import type { AskyClient, BoardRequest, CatalogEntry, RequestPriority } from "./types.js";

const PRIORITIES: readonly RequestPriority[] = ["ROUTINE", "URGENT", "ASAP", "STAT"];
const SEARCH_DELAY_MS = 250;

export function newRequestForm(
  client: AskyClient,
  ward: string,
  created: (request: BoardRequest) => void,
): HTMLElement {
  const dispenser = h("select", { id: "dispenser", name: "dispenser", required: true });
  const kind = h(
    "select",
    { id: "kind", name: "kind" },
    h("option", { value: "MEDICATION" }, kindLabel.MEDICATION),
    h("option", { value: "MATERIAL" }, kindLabel.MATERIAL),
  );
  const search = h("input", { id: "item-search", type: "search", placeholder: "Nome do item", autocomplete: "off" });
  const item = h("select", { id: "item", name: "item", required: true });
  const quantity = h("input", { id: "quantity", name: "quantity", type: "number", min: "1", max: "9999", value: "1" });
  const priority = h(
    "select",
    { id: "priority", name: "priority" },
    ...PRIORITIES.map((value) => h("option", { value }, priorityLabel[value])),
  );
  const note = h("input", { id: "note", name: "note", type: "text", maxlength: "1000" });
  const submit = h("button", { type: "submit" }, "Solicitar");
  const outcome = h("p", { class: "outcome", role: "status" });

  const field = (id: string, label: string, control: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: id }, label), control);
  const form = h(
    "form",
    { class: "new-request", "aria-label": "Nova solicitação" },
    h("h2", {}, "Nova solicitação"),
    field("dispenser", "Dispensário", dispenser),
    field("kind", "Tipo", kind),
    field("item-search", "Buscar item", search),
    field("item", "Item", item),
    field("quantity", "Quantidade", quantity),
    field("priority", "Prioridade", priority),
    field("note", "Observação", note),
    submit,
    outcome,
  );

  client.execute(documents.WardDispensersDocument, { ward, first: 50 }).then(
    (data) => {
      const online = data.dispensers.edges.map((edge) => edge.node).filter((node) => node.status === "ONLINE");
      dispenser.replaceChildren(
        ...online.map((node) => h("option", { value: node.id }, `${node.name} (${node.code})`)),
      );
    },
    (error: unknown) => (outcome.textContent = messageFor(error)),
  );

  // The newest search wins: answers to older keystrokes are dropped.
  let searchRound = 0;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const runSearch = () => {
    const round = ++searchRound;
    const variables = {
      search: search.value.trim() || null,
      kind: kind.value === "MATERIAL" ? "MATERIAL" : "MEDICATION",
      first: 20,
    } as const;
    client.execute(documents.CatalogSearchDocument, variables).then(
      (data) => {
        if (round === searchRound) showItems(data.catalog.edges.map((edge) => edge.node));
      },
      (error: unknown) => {
        if (round === searchRound) outcome.textContent = messageFor(error);
      },
    );
  };
  const showItems = (entries: readonly CatalogEntry[]) => {
    item.replaceChildren(...entries.map((entry) => h("option", { value: entry.id }, `${entry.name} (${entry.unit})`)));
    item.dataset.results = String(entries.length);
  };
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, SEARCH_DELAY_MS);
  });
  kind.addEventListener("change", runSearch);
  runSearch();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const count = Number(quantity.value);
    if (!item.value || !dispenser.value || !Number.isInteger(count) || count < 1) {
      outcome.textContent = "Escolha o dispensário, o item e uma quantidade inteira.";
      return;
    }
    submit.disabled = true;
    outcome.textContent = "Enviando…";
    client
      .createRequest({
        kind: kind.value === "MATERIAL" ? "MATERIAL" : "MEDICATION",
        priority: PRIORITIES.find((value) => value === priority.value) ?? "ROUTINE",
        dispenserId: dispenser.value,
        items: [{ itemId: item.value, quantity: count }],
        ...(note.value.trim() ? { note: note.value.trim() } : {}),
      })
      .then(
        (request) => {
          outcome.textContent = `Solicitação ${request.number} criada.`;
          note.value = "";
          created(request);
        },
        (error: unknown) => (outcome.textContent = messageFor(error)),
      )
      .finally(() => (submit.disabled = false));
  });
  return form;
}
