// The shared harness's GraphQL over HTTP; kept at this path for the tests that import it here.
export { gql, type GraphQLResponse } from "@asky/stack/testing";
