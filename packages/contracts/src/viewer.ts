import type { Role } from "./roles.js";

/** The authenticated person behind an operation, as the subgraphs see them. */
export interface Viewer {
  readonly id: string;
  readonly role: Role;
  /** Ward code for nurses; null for pharmacy staff and admins. */
  readonly ward: string | null;
}
