/**
 * The test harness every package's tests share, against the real stack that
 * tests/global-setup.ts boots once per run (see stack-context.ts):
 *
 *   import { asGateway, asSubgraph, demoViewer, readStream, startReplica } from "@asky/stack/testing";
 *
 * - asGateway(account): a signed-in GraphQL client through the real gateway;
 * - asSubgraph(service, viewer): a subgraph called directly with a signed internal token;
 * - readStream(subject) / streamEvents(nc, subject): the events stored in the ASKY stream;
 * - startReplica(service), startExtraGateway(env): spare processes beside the stack's;
 * - privateDatabase(service), emptyDatabase(prefix), startPrivateNats(): a database or broker a test may break;
 * - startNatsCluster(): a JetStream cluster of 3 on loopback whose nodes a test may kill and restart;
 * - createUser, signedInAs, login; fixtureFor, createRequest, changeStatus: people and
 *   requests through the real API, for any package's scenarios;
 * - startOtlpReceiver(): an OTLP/HTTP endpoint (protobuf and JSON) that keeps the spans and
 *   metrics services export to it, for tracing tests;
 * - samplesOf, sumOf, typeOf, parseExposition, servedBy: a /metrics scrape (Prometheus' text
 *   format) read as Prometheus reads it; pure, so unit tests may import prometheus-text.ts itself.
 */
export { testStack, gatewayMetrics, type StackContext } from "./stack-context.js";
export {
  gql,
  postGraphQL,
  graphQLClient,
  codeOf,
  type GraphQLClient,
  type GraphQLResponse,
  type PostOptions,
  type Variables,
} from "./graphql.js";
export { DEMO_PASSWORD, demoToken, demoViewer, type DemoAccount } from "./demo-accounts.js";
export { asGateway, type GatewayCaller } from "./as-gateway.js";
export { asSubgraph } from "./as-subgraph.js";
export { internalToken, internalTokenFor, tokenWithoutViewer } from "./internal-token.js";
export { eventsOf, readStream, streamEvents, type StoredEvent } from "./jetstream-reader.js";
export { startReplica, type Replica } from "./replica.js";
export { startExtraGateway, type ExtraGateway } from "./extra-gateway.js";
export { liftedRateLimits } from "../lifted-rate-limits.js";
export {
  emptyDatabase,
  privateDatabase,
  stackRolePasswords,
  type EmptyDatabase,
  type PrivateDatabase,
} from "./private-database.js";
export { startPrivateNats, type PrivateNats } from "./private-nats.js";
export {
  startNatsCluster,
  type NatsClusterNode,
  type NatsClusterOptions,
  type RunningNatsCluster,
} from "../nats-cluster.js";
export { eventually } from "./eventually.js";
export {
  admin,
  auditOf,
  CREATE_USER,
  createUser,
  errorCode,
  freshCpf,
  freshEmail,
  jwtPart,
  login,
  LOGIN,
  logout,
  LOGOUT,
  queryUsersDb,
  REFRESH,
  signedInAs,
  STRONG_PASSWORD,
  type AuditEntry,
  type FreshUser,
  type Session,
} from "./users-api.js";
export { changeStatus, createRequest, fixtureFor, type Fixture } from "./requests-api.js";
export {
  describeSpan,
  startOtlpReceiver,
  type AttributeValue,
  type OtlpEncoding,
  type OtlpExport,
  type OtlpReceiver,
  type ReceivedMetric,
  type ReceivedSpan,
  type SpanKindName,
  type SpanLink,
  type SpanWaitOptions,
} from "./otlp-receiver.js";
export {
  baseName,
  parseExposition,
  samplesOf,
  servedBy,
  sumOf,
  typeOf,
  typesOf,
  type Exposition,
  type Sample,
} from "./prometheus-text.js";
