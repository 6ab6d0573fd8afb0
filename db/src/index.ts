export * as usersDb from "./schema/users.js";
export * as dispensersDb from "./schema/dispensers.js";
export * as requestsDb from "./schema/requests.js";
export * as reportsDb from "./schema/reports.js";
export { usersSchema } from "./schema/users.js";
export { dispensersSchema } from "./schema/dispensers.js";
export { requestsSchema } from "./schema/requests.js";
export { reportsSchema } from "./schema/reports.js";
export { eventTables } from "./schema/events.js";
export { witnessUsesTable, type WitnessUsesTable } from "./schema/witness-uses.js";
export {
  recordWitnessUse,
  WITNESS_TOKEN_USED,
  type WitnessUse,
  type WitnessUseExecutor,
} from "./record-witness-use.js";
export {
  serviceNames,
  isServiceName,
  serviceRole,
  migrationsSchema,
  devPassword,
  type ServiceName,
} from "./services.js";
export { bootstrapRoles, serviceUrl, extensionsSchema } from "./roles.js";
export { migrateService, migrationsFolder } from "./migrate.js";
export { seedService, DEMO_PASSWORD } from "./seed/index.js";
export { normalizeSearchText, escapeLike } from "./search.js";
