/** Declared with the roles in the contracts; re-exported for the many modules importing common. */
export type { Role, Viewer } from "@asky/contracts";
