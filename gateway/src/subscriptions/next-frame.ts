import type { ExecutionResult } from "graphql";

/**
 * A subscription payload serialized once, to be written to many sockets. graphql-ws
 * stringifies every `next` message per subscriber; with ten thousand screens on one event
 * that was most of the gateway's work (and its garbage), so the hub serializes once per
 * group and each subscriber only wraps the shared JSON in its own message id.
 */
export type SerializedPayload = string & { readonly __serializedPayload: unique symbol };

/** GraphQLError's toJSON gives the spec's error shape, as graphql-ws would send it. */
export function serializePayload(result: ExecutionResult): SerializedPayload {
  return JSON.stringify(result) as SerializedPayload;
}

/** The graphql-transport-ws `next` message for subscription `id`, around a shared payload. */
export function nextFrame(id: string): (payload: SerializedPayload) => string {
  const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return (payload) => `${prefix}${payload}}`;
}
