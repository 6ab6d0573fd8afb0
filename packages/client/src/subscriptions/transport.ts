/** What a subscription transport (graphql-ws or graphql-sse) offers the resumable subscription above it. */
import type { GraphQLErrorLike } from "../errors.js";
import type { OperationPayload } from "../operation-payload.js";

export interface TransportResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLErrorLike[];
}

export interface TransportSink {
  next(result: TransportResult): void;
  /** A close event ({ code, reason }), GraphQL errors, or an Error of the network. */
  error(error: unknown): void;
  complete(): void;
  /**
   * The transport carrying this subscription is up: graphql-ws acknowledged the socket
   * (`subscribed` false: graphql-ws does not acknowledge a subscribe), or graphql-sse's stream
   * was accepted (`subscribed` true: the gateway answers once the subscription is in place).
   */
  connected?(subscribed: boolean): void;
}

export interface TransportSubscription {
  dispose(): void;
  /** The access token the connection carrying this subscription was opened with. */
  token(): string | null;
}

export interface SubscriptionTransport {
  subscribe(payload: OperationPayload, sink: TransportSink): TransportSubscription;
  /** Closes every connection. */
  dispose(): void;
}
