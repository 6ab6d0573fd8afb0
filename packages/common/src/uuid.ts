/** True for a UUID string; ids from clients are checked before they reach Postgres' uuid type. */
export { isUuid } from "@asky/contracts";
