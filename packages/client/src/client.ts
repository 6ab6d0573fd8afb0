/**
 * createAskyClient: typed operations over HTTP with the session handled (sign-in, one
 * refresh at a time, refresh after a refusal), network retries with back-off, idempotent
 * creates, and resumable subscriptions over graphql-ws or graphql-sse.
 */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { AskyClientError } from "./errors.js";
import {
  CreateRequestDocument,
  RefreshSessionDocument,
  SignInDocument,
  SignOutDocument,
  type CreateRequestInput,
  type CreateRequestMutation,
} from "./gql/graphql.js";
import { postOperation, type FetchLike } from "./http-operation.js";
import { declaresVariable, operationPayload, rootFieldOf } from "./operation-payload.js";
import { defaultRefreshLock, type RefreshLock } from "./refresh-lock.js";
import { defaultRetryPolicy, withRetries, type RetryPolicy } from "./retry.js";
import { refreshMayHelp } from "./refresh-decision.js";
import { retriesAllowed } from "./retry-safety.js";
import { Session, type SessionEndListener } from "./session.js";
import { tokensOf } from "./session-tokens.js";
import { memoryTokens, type TokenStorage, type Viewer } from "./tokens.js";
import { streamUrl, webSocketUrl } from "./endpoints.js";
import { newIdempotencyKey } from "./idempotency-key.js";
import { resumableSubscription, type SubscriptionObserver } from "./subscriptions/resumable-subscription.js";
import { sseTransport } from "./subscriptions/sse-transport.js";
import type { SubscriptionTransport } from "./subscriptions/transport.js";
import { wsTransport } from "./subscriptions/ws-transport.js";

export interface AskyClientOptions {
  /** The HTTP endpoint, e.g. https://asky.hospital.example/graphql. */
  url: string;
  /** Subscriptions over graphql-ws (default) or graphql-sse, for networks that break WebSockets. */
  transport?: "ws" | "sse";
  /** Default: the HTTP URL with ws(s):. */
  wsUrl?: string;
  /** Default: the HTTP URL followed by /stream. */
  sseUrl?: string;
  /** Where tokens live. Default in memory; browsers pass localStorageTokens() so tabs share them. */
  storage?: TokenStorage;
  /** Serialises refreshes. Default: the Web Locks API when present (across tabs), else in-process. */
  refreshLock?: RefreshLock;
  fetch?: FetchLike;
  /** A WebSocket class (e.g. the `ws` package's); default the platform's global WebSocket. */
  webSocketImpl?: unknown;
  /** Send operations by their sha256 (trusted documents) instead of their text. */
  persisted?: boolean;
  /** Retries of HTTP operations after network failures. Default 4 attempts, 300 ms doubling to 5 s, jittered. */
  retry?: Partial<RetryPolicy>;
  /** Reconnections of a subscription. Default unbounded, 500 ms doubling to 15 s, jittered. */
  reconnect?: Partial<RetryPolicy>;
  /** Refresh the access token this long before it expires. Default 60 s. */
  refreshBeforeExpiryMs?: number;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Overrides the client's retry policy for this call ({ attempts: 1 }: no retries). */
  retry?: Partial<RetryPolicy>;
  /**
   * Whether sending the operation twice is harmless, so it may be retried after a network
   * failure. Default: queries and the client's own repeatable mutations yes, other mutations no.
   */
  idempotent?: boolean;
}

/** createRequest's input: the client adds the idempotency key unless the app brings its own. */
export type NewRequestInput = Omit<CreateRequestInput, "idempotencyKey"> & { idempotencyKey?: string };

export type CreatedRequest = CreateRequestMutation["createRequest"];

type Variables = Record<string, unknown>;

export interface AskyClient {
  /** The signed-in user, or null. */
  readonly viewer: Viewer | null;
  signIn(email: string, password: string, options?: ExecuteOptions): Promise<Viewer>;
  /** Ends the session on the server and forgets the tokens (forgotten even when the server cannot be told). */
  signOut(): Promise<void>;
  /** The session ended without the user asking (refresh refused: revoked, reused, expired): show sign-in. */
  onSessionEnd(listener: SessionEndListener): () => void;
  execute<TData, TVariables extends Variables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: ExecuteOptions,
  ): Promise<TData>;
  /** createRequest with one idempotency key for this call and all its retries: never two requests. */
  createRequest(input: NewRequestInput, options?: ExecuteOptions): Promise<CreatedRequest>;
  /** Starts a resumable subscription; the function returned stops it. */
  subscribe<TData, TVariables extends Variables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    observer: SubscriptionObserver<TData>,
  ): () => void;
  /** Stops every subscription and closes its connections. */
  dispose(): void;
}

const defaultReconnect: RetryPolicy = { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 500, maxDelayMs: 15_000 };

export function createAskyClient(options: AskyClientOptions): AskyClient {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const storage = options.storage ?? memoryTokens();
  const retryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const reconnectPolicy = { ...defaultReconnect, ...options.reconnect };
  const persisted = options.persisted ?? false;

  const send = async <TData, TVariables extends Variables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables | undefined,
    token: string | null,
    callOptions: ExecuteOptions,
  ): Promise<TData> => {
    const policy = retriesAllowed(document, callOptions.idempotent)
      ? { ...retryPolicy, ...callOptions.retry }
      : { ...retryPolicy, attempts: 1 };
    const attempt = (byHash: boolean) =>
      withRetries(
        () =>
          postOperation(
            fetchImpl,
            options.url,
            operationPayload(document, variables, byHash),
            token,
            callOptions.signal,
          ),
        { policy, ...(callOptions.signal ? { signal: callOptions.signal } : {}) },
      ) as Promise<TData>;
    try {
      return await attempt(persisted);
    } catch (error) {
      // A gateway with an older manifest: the text still works where ad-hoc documents are allowed.
      if (persisted && error instanceof AskyClientError && error.is("PERSISTED_QUERY_NOT_FOUND")) return attempt(false);
      throw error;
    }
  };

  const session = new Session({
    storage,
    lock: options.refreshLock ?? defaultRefreshLock(),
    lockName: `asky-refresh:${options.url}`,
    refreshBeforeExpiryMs: options.refreshBeforeExpiryMs ?? 60_000,
    now: () => Date.now(),
    async exchange(refreshToken) {
      // Never retried: if the answer was lost, the token is spent, and presenting it again
      // would revoke the session. The next call tries with whatever is stored by then.
      const data = await send(RefreshSessionDocument, { refreshToken }, null, { idempotent: false });
      return tokensOf(data.refreshToken, Date.now());
    },
  });

  const execute = async <TData, TVariables extends Variables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    callOptions: ExecuteOptions = {},
  ): Promise<TData> => {
    const token = await session.accessToken();
    try {
      return await send(document, variables, token, callOptions);
    } catch (error) {
      if (token === null || !(error instanceof AskyClientError) || !refreshMayHelp(error)) throw error;
      // Expired early, or the server's clock runs ahead: one refresh shared by every caller, then once more.
      const fresh = await session.refresh(token);
      return send(document, variables, fresh.accessToken, callOptions);
    }
  };

  let transport: SubscriptionTransport | null = null;
  const transportOf = (): SubscriptionTransport => {
    const currentToken = () => session.tokens()?.accessToken ?? null;
    transport ??=
      options.transport === "sse"
        ? sseTransport({ url: options.sseUrl ?? streamUrl(options.url), fetch: options.fetch, currentToken })
        : wsTransport({
            url: options.wsUrl ?? webSocketUrl(options.url),
            webSocketImpl: options.webSocketImpl,
            currentToken,
          });
    return transport;
  };
  const subscriptions = new Set<() => void>();

  return {
    get viewer() {
      return session.tokens()?.viewer ?? null;
    },
    async signIn(email, password, callOptions = {}) {
      const data = await send(SignInDocument, { email, password }, null, callOptions);
      const tokens = tokensOf(data.login, Date.now());
      session.store(tokens);
      return tokens.viewer;
    },
    async signOut() {
      const tokens = session.tokens();
      session.store(null);
      for (const stop of [...subscriptions]) stop();
      transport?.dispose();
      transport = null;
      if (!tokens) return;
      try {
        await send(SignOutDocument, { refreshToken: tokens.refreshToken }, null, {});
      } catch (error) {
        // Already ended on the server: nothing left to do.
        if (!(error instanceof AskyClientError && error.code === "UNAUTHENTICATED")) throw error;
      }
    },
    onSessionEnd: (listener) => session.onEnd(listener),
    execute,
    createRequest(input, callOptions) {
      const idempotencyKey = input.idempotencyKey ?? newIdempotencyKey();
      return execute(CreateRequestDocument, { input: { ...input, idempotencyKey } }, callOptions).then(
        (data) => data.createRequest,
      );
    },
    subscribe(document, variables, observer) {
      const withAfter = declaresVariable(document, "after");
      const initialAfter = typeof variables.after === "string" ? variables.after : null;
      const stop = resumableSubscription({
        transport: transportOf(),
        session,
        payload: (after, byHash) => operationPayload(document, withAfter ? { ...variables, after } : variables, byHash),
        persisted,
        rootField: rootFieldOf(document),
        initialAfter,
        observer,
        reconnect: reconnectPolicy,
      });
      const stopAndForget = () => {
        subscriptions.delete(stopAndForget);
        stop();
      };
      subscriptions.add(stopAndForget);
      return stopAndForget;
    },
    dispose() {
      for (const stop of [...subscriptions]) stop();
      transport?.dispose();
      transport = null;
    },
  };
}
