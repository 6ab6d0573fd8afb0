import type { SerializedPayload } from "../next-frame.js";

/**
 * graphql-sse's "distinct connections mode" framing (node_modules/graphql-sse/PROTOCOL.md):
 * one stream per operation, each result a `next` event, the end a `complete` event. A
 * serialized payload is one line of JSON (JSON.stringify escapes line breaks), so one `data:`
 * line carries it.
 */
export function nextEvent(payload: SerializedPayload): string {
  return `event: next\ndata: ${payload}\n\n`;
}

/** The server ended the operation; a client that reads it does not reconnect. */
export const completeEvent = "event: complete\ndata:\n\n";

/**
 * An SSE comment: every client ignores it. Sent first, so that the headers leave at once
 * (some browsers wait for a body byte), and then as the keep-alive.
 */
export function comment(text = ""): string {
  return `:${text ? ` ${text}` : ""}\n\n`;
}
