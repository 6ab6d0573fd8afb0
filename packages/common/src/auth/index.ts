export * from "./claims.js";
export * from "./guard.js";
export * from "./internal-token.js";
export * from "./signing-keys.js";
export * from "./access-token.js";
export * from "./bearer.js";
export * from "./internal-token-cache.js";
export * from "./verified-token-cache.js";
