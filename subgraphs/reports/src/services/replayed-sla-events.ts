import { parseStored, slaBreached, slaWarning } from "@asky/contracts";
import type { SqlExecutor } from "../data/project-request.js";
import { projectSlaEvent } from "./project-sla-event.js";

type Projection = (raw: unknown) => ((tx: SqlExecutor) => Promise<void>) | null;

/** The turnaround clock's events as the replay applies them, by subject: what sla.ts's consumers do. */
export const slaProjections: readonly [string, Projection][] = [
  [
    slaWarning.subject,
    (raw) => {
      const event = parseStored(slaWarning, raw);
      return event && ((tx) => projectSlaEvent(tx, "SLA_WARNING", event));
    },
  ],
  [
    slaBreached.subject,
    (raw) => {
      const event = parseStored(slaBreached, raw);
      return event && ((tx) => projectSlaEvent(tx, "SLA_BREACHED", event));
    },
  ],
];
