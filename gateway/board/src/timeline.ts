/**
 * The live feed as it arrived, oldest first: every event the subscription delivered is one
 * line, duplicates included, so a gap or a repeat after a reconnect shows on the page.
 */
import { h, timeOf } from "./dom.js";
import { eventLabel, slaStageLabel, statusLabel } from "./labels.js";
import { assertNever, type BoardEvent } from "./types.js";

const MAX_LINES = 200;

export class Timeline {
  readonly element: HTMLOListElement;

  constructor() {
    this.element = h("ol", { class: "timeline", "aria-label": "Atividade ao vivo" });
  }

  add(event: BoardEvent): void {
    this.element.append(
      h(
        "li",
        {
          "data-cursor": event.cursor,
          "data-number": event.request.number,
          "data-type": event.type,
          "data-status": event.status,
        },
        h("time", { datetime: event.at }, timeOf(event.at)),
        " ",
        h("strong", {}, event.request.number),
        ` ${describe(event)}`,
      ),
    );
    while (this.element.childElementCount > MAX_LINES) this.element.firstElementChild?.remove();
  }
}

function describe(event: BoardEvent): string {
  const by = event.actor ? ` por ${event.actor.fullName}` : "";
  switch (event.type) {
    case "CREATED":
      return `${eventLabel.CREATED} (${statusLabel[event.status]})${by}`;
    case "STATUS_CHANGED":
      return `${event.previousStatus ? `${statusLabel[event.previousStatus]} → ` : ""}${statusLabel[event.status]}${by}`;
    case "LINES_CHANGED":
      // A pending restock grew: same status, new quantities (the board's row shows them).
      return `${eventLabel.LINES_CHANGED} (${statusLabel[event.status]})${by}`;
    case "SLA_WARNING":
    case "SLA_BREACHED": {
      const stage = event.request.sla?.stage;
      return `${eventLabel[event.type]}${stage ? ` (${slaStageLabel[stage]})` : ""}`;
    }
    default:
      return assertNever(event.type);
  }
}
