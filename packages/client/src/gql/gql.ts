/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CatalogSearch($search: String, $kind: CatalogKind, $first: Int = 20, $after: String) {\n  catalog(search: $search, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        __typename\n        id\n        code\n        name\n        unit\n        ... on Medication {\n          activeIngredient\n          strength\n          dosageForm\n          controlled\n        }\n      }\n    }\n  }\n}": typeof types.CatalogSearchDocument,
    "mutation ChangeRequestStatus($input: ChangeRequestStatusInput!) {\n  changeRequestStatus(input: $input) {\n    ...RequestSummary\n  }\n}": typeof types.ChangeRequestStatusDocument,
    "mutation CreateRequest($input: CreateRequestInput!) {\n  createRequest(input: $input) {\n    ...RequestSummary\n  }\n}": typeof types.CreateRequestDocument,
    "query DispenserByQr($payload: String!) {\n  dispenserByQr(payload: $payload) {\n    id\n    code\n    name\n    ward\n    floor\n    location\n    status\n  }\n}": typeof types.DispenserByQrDocument,
    "query Me {\n  me {\n    id\n    nickname\n    fullName\n    email\n    role\n    ward\n    active\n  }\n}": typeof types.MeDocument,
    "query PharmacyQueue($ward: String, $kind: RequestKind, $first: Int = 50, $after: String) {\n  pharmacyQueue(ward: $ward, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}": typeof types.PharmacyQueueDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...SessionFields\n  }\n}": typeof types.RefreshSessionDocument,
    "query RequestDetail($id: ID!) {\n  request(id: $id) {\n    ...RequestSummary\n    assistanceReason\n    reasonCode\n    reason\n    totalCost\n    history {\n      event\n      from\n      to\n      at\n      reasonCode\n      reason\n      by {\n        id\n        fullName\n      }\n    }\n  }\n}": typeof types.RequestDetailDocument,
    "subscription RequestEvents($ward: String, $dispenserId: ID, $after: String) {\n  requestEvents(ward: $ward, dispenserId: $dispenserId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}": typeof types.RequestEventsDocument,
    "subscription RequestStatusChanged($requestId: ID!, $after: String) {\n  requestStatusChanged(requestId: $requestId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}": typeof types.RequestStatusChangedDocument,
    "fragment RequestSummary on Request {\n  id\n  number\n  kind\n  priority\n  status\n  version\n  ward\n  note\n  createdAt\n  updatedAt\n  requester {\n    id\n    fullName\n  }\n  assignee {\n    id\n    fullName\n  }\n  dispenser {\n    id\n    code\n    name\n  }\n  items {\n    id\n    quantity\n    status\n    item {\n      id\n      name\n      unit\n    }\n  }\n  sla {\n    stage\n    dueAt\n    breached\n  }\n}": typeof types.RequestSummaryFragmentDoc,
    "fragment SessionFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresAt\n  refreshTokenExpiresAt\n  user {\n    id\n    nickname\n    fullName\n    role\n    ward\n  }\n}": typeof types.SessionFieldsFragmentDoc,
    "mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...SessionFields\n  }\n}": typeof types.SignInDocument,
    "mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}": typeof types.SignOutDocument,
    "query WardBoard($ward: String, $status: [RequestStatus!], $first: Int = 50, $after: String) {\n  requests(ward: $ward, status: $status, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}": typeof types.WardBoardDocument,
    "query WardDispensers($ward: String, $first: Int = 50) {\n  dispensers(ward: $ward, first: $first) {\n    edges {\n      node {\n        id\n        code\n        name\n        ward\n        status\n      }\n    }\n  }\n}": typeof types.WardDispensersDocument,
};
const documents: Documents = {
    "query CatalogSearch($search: String, $kind: CatalogKind, $first: Int = 20, $after: String) {\n  catalog(search: $search, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        __typename\n        id\n        code\n        name\n        unit\n        ... on Medication {\n          activeIngredient\n          strength\n          dosageForm\n          controlled\n        }\n      }\n    }\n  }\n}": types.CatalogSearchDocument,
    "mutation ChangeRequestStatus($input: ChangeRequestStatusInput!) {\n  changeRequestStatus(input: $input) {\n    ...RequestSummary\n  }\n}": types.ChangeRequestStatusDocument,
    "mutation CreateRequest($input: CreateRequestInput!) {\n  createRequest(input: $input) {\n    ...RequestSummary\n  }\n}": types.CreateRequestDocument,
    "query DispenserByQr($payload: String!) {\n  dispenserByQr(payload: $payload) {\n    id\n    code\n    name\n    ward\n    floor\n    location\n    status\n  }\n}": types.DispenserByQrDocument,
    "query Me {\n  me {\n    id\n    nickname\n    fullName\n    email\n    role\n    ward\n    active\n  }\n}": types.MeDocument,
    "query PharmacyQueue($ward: String, $kind: RequestKind, $first: Int = 50, $after: String) {\n  pharmacyQueue(ward: $ward, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}": types.PharmacyQueueDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...SessionFields\n  }\n}": types.RefreshSessionDocument,
    "query RequestDetail($id: ID!) {\n  request(id: $id) {\n    ...RequestSummary\n    assistanceReason\n    reasonCode\n    reason\n    totalCost\n    history {\n      event\n      from\n      to\n      at\n      reasonCode\n      reason\n      by {\n        id\n        fullName\n      }\n    }\n  }\n}": types.RequestDetailDocument,
    "subscription RequestEvents($ward: String, $dispenserId: ID, $after: String) {\n  requestEvents(ward: $ward, dispenserId: $dispenserId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}": types.RequestEventsDocument,
    "subscription RequestStatusChanged($requestId: ID!, $after: String) {\n  requestStatusChanged(requestId: $requestId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}": types.RequestStatusChangedDocument,
    "fragment RequestSummary on Request {\n  id\n  number\n  kind\n  priority\n  status\n  version\n  ward\n  note\n  createdAt\n  updatedAt\n  requester {\n    id\n    fullName\n  }\n  assignee {\n    id\n    fullName\n  }\n  dispenser {\n    id\n    code\n    name\n  }\n  items {\n    id\n    quantity\n    status\n    item {\n      id\n      name\n      unit\n    }\n  }\n  sla {\n    stage\n    dueAt\n    breached\n  }\n}": types.RequestSummaryFragmentDoc,
    "fragment SessionFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresAt\n  refreshTokenExpiresAt\n  user {\n    id\n    nickname\n    fullName\n    role\n    ward\n  }\n}": types.SessionFieldsFragmentDoc,
    "mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...SessionFields\n  }\n}": types.SignInDocument,
    "mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}": types.SignOutDocument,
    "query WardBoard($ward: String, $status: [RequestStatus!], $first: Int = 50, $after: String) {\n  requests(ward: $ward, status: $status, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}": types.WardBoardDocument,
    "query WardDispensers($ward: String, $first: Int = 50) {\n  dispensers(ward: $ward, first: $first) {\n    edges {\n      node {\n        id\n        code\n        name\n        ward\n        status\n      }\n    }\n  }\n}": types.WardDispensersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CatalogSearch($search: String, $kind: CatalogKind, $first: Int = 20, $after: String) {\n  catalog(search: $search, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        __typename\n        id\n        code\n        name\n        unit\n        ... on Medication {\n          activeIngredient\n          strength\n          dosageForm\n          controlled\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query CatalogSearch($search: String, $kind: CatalogKind, $first: Int = 20, $after: String) {\n  catalog(search: $search, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        __typename\n        id\n        code\n        name\n        unit\n        ... on Medication {\n          activeIngredient\n          strength\n          dosageForm\n          controlled\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ChangeRequestStatus($input: ChangeRequestStatusInput!) {\n  changeRequestStatus(input: $input) {\n    ...RequestSummary\n  }\n}"): (typeof documents)["mutation ChangeRequestStatus($input: ChangeRequestStatusInput!) {\n  changeRequestStatus(input: $input) {\n    ...RequestSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateRequest($input: CreateRequestInput!) {\n  createRequest(input: $input) {\n    ...RequestSummary\n  }\n}"): (typeof documents)["mutation CreateRequest($input: CreateRequestInput!) {\n  createRequest(input: $input) {\n    ...RequestSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DispenserByQr($payload: String!) {\n  dispenserByQr(payload: $payload) {\n    id\n    code\n    name\n    ward\n    floor\n    location\n    status\n  }\n}"): (typeof documents)["query DispenserByQr($payload: String!) {\n  dispenserByQr(payload: $payload) {\n    id\n    code\n    name\n    ward\n    floor\n    location\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    nickname\n    fullName\n    email\n    role\n    ward\n    active\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    nickname\n    fullName\n    email\n    role\n    ward\n    active\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PharmacyQueue($ward: String, $kind: RequestKind, $first: Int = 50, $after: String) {\n  pharmacyQueue(ward: $ward, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}"): (typeof documents)["query PharmacyQueue($ward: String, $kind: RequestKind, $first: Int = 50, $after: String) {\n  pharmacyQueue(ward: $ward, kind: $kind, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...SessionFields\n  }\n}"): (typeof documents)["mutation RefreshSession($refreshToken: String!) {\n  refreshToken(refreshToken: $refreshToken) {\n    ...SessionFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RequestDetail($id: ID!) {\n  request(id: $id) {\n    ...RequestSummary\n    assistanceReason\n    reasonCode\n    reason\n    totalCost\n    history {\n      event\n      from\n      to\n      at\n      reasonCode\n      reason\n      by {\n        id\n        fullName\n      }\n    }\n  }\n}"): (typeof documents)["query RequestDetail($id: ID!) {\n  request(id: $id) {\n    ...RequestSummary\n    assistanceReason\n    reasonCode\n    reason\n    totalCost\n    history {\n      event\n      from\n      to\n      at\n      reasonCode\n      reason\n      by {\n        id\n        fullName\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription RequestEvents($ward: String, $dispenserId: ID, $after: String) {\n  requestEvents(ward: $ward, dispenserId: $dispenserId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}"): (typeof documents)["subscription RequestEvents($ward: String, $dispenserId: ID, $after: String) {\n  requestEvents(ward: $ward, dispenserId: $dispenserId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription RequestStatusChanged($requestId: ID!, $after: String) {\n  requestStatusChanged(requestId: $requestId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}"): (typeof documents)["subscription RequestStatusChanged($requestId: ID!, $after: String) {\n  requestStatusChanged(requestId: $requestId, after: $after) {\n    cursor\n    type\n    previousStatus\n    status\n    at\n    actor {\n      id\n      fullName\n    }\n    request {\n      ...RequestSummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment RequestSummary on Request {\n  id\n  number\n  kind\n  priority\n  status\n  version\n  ward\n  note\n  createdAt\n  updatedAt\n  requester {\n    id\n    fullName\n  }\n  assignee {\n    id\n    fullName\n  }\n  dispenser {\n    id\n    code\n    name\n  }\n  items {\n    id\n    quantity\n    status\n    item {\n      id\n      name\n      unit\n    }\n  }\n  sla {\n    stage\n    dueAt\n    breached\n  }\n}"): (typeof documents)["fragment RequestSummary on Request {\n  id\n  number\n  kind\n  priority\n  status\n  version\n  ward\n  note\n  createdAt\n  updatedAt\n  requester {\n    id\n    fullName\n  }\n  assignee {\n    id\n    fullName\n  }\n  dispenser {\n    id\n    code\n    name\n  }\n  items {\n    id\n    quantity\n    status\n    item {\n      id\n      name\n      unit\n    }\n  }\n  sla {\n    stage\n    dueAt\n    breached\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresAt\n  refreshTokenExpiresAt\n  user {\n    id\n    nickname\n    fullName\n    role\n    ward\n  }\n}"): (typeof documents)["fragment SessionFields on AuthPayload {\n  accessToken\n  refreshToken\n  expiresAt\n  refreshTokenExpiresAt\n  user {\n    id\n    nickname\n    fullName\n    role\n    ward\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...SessionFields\n  }\n}"): (typeof documents)["mutation SignIn($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...SessionFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}"): (typeof documents)["mutation SignOut($refreshToken: String!) {\n  logout(refreshToken: $refreshToken)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WardBoard($ward: String, $status: [RequestStatus!], $first: Int = 50, $after: String) {\n  requests(ward: $ward, status: $status, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}"): (typeof documents)["query WardBoard($ward: String, $status: [RequestStatus!], $first: Int = 50, $after: String) {\n  requests(ward: $ward, status: $status, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...RequestSummary\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WardDispensers($ward: String, $first: Int = 50) {\n  dispensers(ward: $ward, first: $first) {\n    edges {\n      node {\n        id\n        code\n        name\n        ward\n        status\n      }\n    }\n  }\n}"): (typeof documents)["query WardDispensers($ward: String, $first: Int = 50) {\n  dispensers(ward: $ward, first: $first) {\n    edges {\n      node {\n        id\n        code\n        name\n        ward\n        status\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;