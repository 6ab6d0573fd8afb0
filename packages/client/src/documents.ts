// The typed documents (and their data and variables types) of the client's operations,
// generated from src/operations/*.graphql by `npm run codegen`.
export * from "./gql/graphql.js";
