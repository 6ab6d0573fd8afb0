/**
 * A nurse's board: her ward's open requests, a form for a new one, and the live feed. The
 * feed starts before the page is read, so nothing that happens in between is missed; the
 * list keeps the newer version of each request whichever arrives last.
 */
import { documents } from "@asky/client";
import { h } from "./dom.js";
import { messageFor } from "./errors.js";
import { liveFeed } from "./live-feed.js";
import { newRequestForm } from "./new-request-form.js";
import { RequestList } from "./request-list.js";
import { sessionBar } from "./session-bar.js";
import { Timeline } from "./timeline.js";
import { isOpen, OPEN_STATUSES, type AskyClient } from "./types.js";

export function nurseView(root: HTMLElement, client: AskyClient, ward: string, signedOut: () => void): () => void {
  const bar = sessionBar(client, `Painel da ala ${ward}`, signedOut);
  const list = new RequestList("Solicitações abertas", "newest-first", "Nenhuma solicitação aberta na ala.");
  const timeline = new Timeline();
  const problem = h("p", { class: "problem", role: "alert" });
  let active = true;

  const load = () =>
    client.execute(documents.WardBoardDocument, { ward, status: [...OPEN_STATUSES], first: 50 }).then(
      (data) => {
        if (!active) return;
        problem.textContent = "";
        list.replace(data.requests.edges.map((edge) => edge.node));
      },
      (error: unknown) => {
        if (active) problem.textContent = messageFor(error);
      },
    );

  const stop = liveFeed(client, ward, {
    event(event) {
      timeline.add(event);
      if (isOpen(event.request.status)) list.upsert(event.request);
      else list.remove(event.request.id);
    },
    resync: () => void load(),
    state: bar.setFeedState,
  });

  root.replaceChildren(
    bar.element,
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "board", "aria-label": "Solicitações da ala" },
        h("h2", {}, "Solicitações abertas"),
        problem,
        ...list.nodes(),
      ),
      h(
        "aside",
        {},
        newRequestForm(client, ward, (request) => list.upsert(request)),
        h("section", { class: "activity" }, h("h2", {}, "Atividade ao vivo"), timeline.element),
      ),
    ),
  );
  void load();
  return () => {
    active = false;
    stop();
  };
}
