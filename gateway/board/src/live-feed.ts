/**
 * The board's live feed: requestEvents through the SDK, which resumes with `after` = the last
 * cursor on every reconnect (gateway restart, token expiry), delivers each event once, and says
 * when the server cannot replay what was missed (resync: the view reads its page again).
 */
import { documents, type AskyClientError } from "@asky/client";
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
/** Extra wait past the SDK's announced back-off before asking whether the gateway answers again. */
const PROBE_GRACE_MS = 1_000;

export function liveFeed(client: AskyClient, ward: string | null, handlers: FeedHandlers): () => void {
  let stopped = false;
  let lastCursor: string | null = null;
  let stopSubscription: (() => void) | null = null;
  let restart: ReturnType<typeof setTimeout> | undefined;
  let probe: ReturnType<typeof setTimeout> | undefined;
  // Which outage a probe belongs to: a newer reconnect attempt makes older probes moot.
  let outage = 0;

  const live = () => {
    outage++;
    clearTimeout(probe);
    handlers.state("live");
  };

  const subscribe = () => {
    const variables = { ...(ward ? { ward } : {}), ...(lastCursor ? { after: lastCursor } : {}) };
    stopSubscription = client.subscribe(documents.RequestEventsDocument, variables, {
      next(data) {
        lastCursor = data.requestEvents.cursor;
        live();
        handlers.event(data.requestEvents);
      },
      reconnecting(_error: AskyClientError, delayMs: number) {
        const mine = ++outage;
        handlers.state("reconnecting");
        clearTimeout(probe);
        // The SDK says when it fails, not when it is back; a quiet ward sends no event to say
        // so. When the gateway answers a cheap query after the retry had its chance, and no
        // newer failure came meanwhile, the feed is taken to be back.
        probe = setTimeout(() => {
          client.execute(documents.MeDocument, {}).then(
            () => {
              if (mine === outage && !stopped) live();
            },
            () => undefined,
          );
        }, delayMs + PROBE_GRACE_MS);
      },
      resync() {
        lastCursor = null;
        handlers.resync();
      },
      error(error: AskyClientError) {
        // An ended session goes back to sign-in (onSessionEnd); a long outage outlasting the SDK's
        // retries starts over from the last cursor seen; a refusal that will not change stops.
        if (stopped || error.code === "UNAUTHENTICATED") return;
        outage++;
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
    clearTimeout(probe);
    stopSubscription?.();
  };
}
