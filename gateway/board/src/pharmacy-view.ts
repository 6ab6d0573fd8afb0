/**
 * The pharmacy's queue: every ward's requests in progress, those past due first (the server's
 * order, judged when the page is read), read again whenever the live feed reports a change.
 * "Mostrar mais" reads one more page, and the reads after it keep that many.
 */
import { h } from "./dom.js";
import { messageFor } from "./errors.js";
import { liveFeed } from "./live-feed.js";
import { readQueue } from "./queue-pages.js";
import { RequestList } from "./request-list.js";
import { sessionBar } from "./session-bar.js";
import { Timeline } from "./timeline.js";
import type { AskyClient } from "./types.js";

export function pharmacyView(root: HTMLElement, client: AskyClient, signedOut: () => void): () => void {
  const bar = sessionBar(client, "Fila da farmácia", signedOut);
  const list = new RequestList("Fila da farmácia", "as-given", "Nenhuma solicitação na fila.");
  const timeline = new Timeline();
  const problem = h("p", { class: "problem", role: "alert" });
  let active = true;
  // One read at a time; changes during a read ask for one more read after it, not one per event.
  let reading = false;
  let again = false;
  let pages = 1;
  const shown = h("p", { class: "meta", role: "status" });
  const more = h("button", { type: "button", class: "link", hidden: true }, "Mostrar mais");
  more.addEventListener("click", () => {
    pages++;
    load();
  });

  const load = (): void => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    readQueue(client, pages)
      .then(
        (read) => {
          if (!active) return;
          problem.textContent = "";
          list.replace(read.requests);
          shown.textContent = `${read.requests.length} de ${read.totalCount}`;
          more.hidden = !read.hasMore;
        },
        (error: unknown) => {
          if (active) problem.textContent = messageFor(error);
        },
      )
      .finally(() => {
        reading = false;
        if (again && active) {
          again = false;
          load();
        }
      });
  };

  const stop = liveFeed(client, null, {
    event(event) {
      timeline.add(event);
      load();
    },
    resync: load,
    state: bar.setFeedState,
  });

  root.replaceChildren(
    bar.element,
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "board", "aria-label": "Fila da farmácia" },
        h("h2", {}, "Fila (atrasadas primeiro)"),
        shown,
        problem,
        ...list.nodes(),
        more,
      ),
      h("aside", {}, h("section", { class: "activity" }, h("h2", {}, "Atividade ao vivo"), timeline.element)),
    ),
  );
  load();
  return () => {
    active = false;
    stop();
  };
}
