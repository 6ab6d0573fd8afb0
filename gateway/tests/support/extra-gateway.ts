// Spare gateway processes over the test stack live in the shared harness.
export { startExtraGateway, type ExtraGateway } from "@asky/stack/testing";
