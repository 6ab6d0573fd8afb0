export * from "./limits.js";
export * from "./list-sizes.js";
export * from "./measure-operation.js";
export * from "./operation-guard.js";
