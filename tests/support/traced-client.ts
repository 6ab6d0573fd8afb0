/**
 * GraphQL calls as an instrumented web or mobile client makes them: each may carry the W3C
 * `traceparent` of a client span of its own, so that a tracing test can find everything the
 * call caused, in every process, by that span's trace id.
 */
import { randomBytes } from "node:crypto";
import { DEMO_PASSWORD, postGraphQL, type Variables } from "@asky/stack/testing";

export interface ClientSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** `00-<trace id>-<span id>-01`: sampled, as a client that wants the trace kept sends it. */
  readonly traceparent: string;
}

/** A fresh client span (random ids, as an SDK makes them). */
export function clientSpan(): ClientSpan {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

export interface TracedClient {
  /** The data of an operation that must succeed, sent within `span` when given. */
  call<TData>(query: string, variables: Variables, token: string | null, span?: ClientSpan): Promise<TData>;
  /** An access token for a demo account. */
  signIn(email: string): Promise<string>;
}

export function tracedClient(gatewayUrl: string): TracedClient {
  const call = async <TData>(query: string, variables: Variables, token: string | null, span?: ClientSpan) => {
    const { status, body } = await postGraphQL<TData>(gatewayUrl, query, variables, {
      token,
      ...(span ? { headers: { traceparent: span.traceparent } } : {}),
    });
    if (body.errors?.length || !body.data) throw new Error(`HTTP ${status}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  return {
    call,
    signIn: async (email) =>
      (
        await call<{ login: { accessToken: string } }>(
          `mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`,
          { email, password: DEMO_PASSWORD },
          null,
        )
      ).login.accessToken,
  };
}
