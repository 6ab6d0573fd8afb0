/**
 * The board's live feed: requestEvents through the SDK, which resumes with `after` = the last
 * cursor on every reconnect (gateway restart, token expiry), delivers each event once, and says
 * when the server cannot replay what was missed (resync: the view reads its page again).
 */
import { documents, type AskyClientError, type ConnectionState } from "@asky/client";
import type { FeedState } from "./session-bar.js";
import type { AskyClient, BoardEvent } from "./types.js";

export interface FeedHandlers {
  event(event: BoardEvent): void;
  resync(): void;
  state(state: FeedState): void;
}

/** After the SDK gave up its own retries (a long outage), the board starts again this much later. */
const RESTART_AFTER_MS = 5_000;
const TRANSIENT = new Set<string>(["NETWORK_ERROR", "RATE_LIMITED", "INTERNAL_SERVER_ERROR"]);

export function liveFeed(client: AskyClient, ward: string | null, handlers: FeedHandlers): () => void {
  let stopped = false;
  let lastCursor: string | null = null;
  let stopSubscription: (() => void) | null = null;
  let restart: ReturnType<typeof setTimeout> | undefined;

  const subscribe = () => {
    const variables = { ...(ward ? { ward } : {}), ...(lastCursor ? { after: lastCursor } : {}) };
    stopSubscription = client.subscribe(documents.RequestEventsDocument, variables, {
      next(data) {
        lastCursor = data.requestEvents.cursor;
        handlers.event(data.requestEvents);
      },
      // The SDK says when the transport is back (socket acknowledged, stream accepted), so
      // "reconectando…" clears then, also on a quiet ward where no event would say so.
      connection(state: ConnectionState) {
        if (stopped) return;
        if (state === "connected") handlers.state("live");
        else if (state === "reconnecting") handlers.state("reconnecting");
      },
      resync() {
        lastCursor = null;
        handlers.resync();
      },
      error(error: AskyClientError) {
        // An ended session goes back to sign-in (onSessionEnd); a long outage outlasting the SDK's
        // retries starts over from the last cursor seen; a refusal that will not change stops.
        if (stopped || error.code === "UNAUTHENTICATED") return;
        if (!TRANSIENT.has(error.code)) {
          handlers.state("stopped");
          return;
        }
        handlers.state("reconnecting");
        restart = setTimeout(() => {
          if (!stopped) subscribe();
        }, RESTART_AFTER_MS);
      },
    });
  };
  subscribe();

  return () => {
    stopped = true;
    clearTimeout(restart);
    stopSubscription?.();
  };
}
