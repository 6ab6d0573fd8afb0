export * from "./access-revocations.js";
export * from "./feed-watermark.js";
export * from "./revocation-checks.js";
export * from "./revocation-config.js";
export * from "./session-checks.js";
export * from "./session-status-client.js";
export * from "./session-unverifiable.js";
