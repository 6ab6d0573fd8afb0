// The internal tokens a test signs with the stack's gateway key live in the shared harness.
export { internalTokenFor, tokenWithoutViewer } from "@asky/stack/testing";
