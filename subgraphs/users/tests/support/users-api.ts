/**
 * The users tests' helpers: people through the real API live in the shared harness, where
 * cross-service scenarios use them too; this module keeps the users tests' import path short.
 */
import { testStack } from "@asky/stack/testing";

export type { Role } from "@asky/contracts";
export {
  admin,
  auditOf,
  CREATE_USER,
  createUser,
  DEMO_PASSWORD,
  errorCode,
  freshCpf,
  freshEmail,
  gql,
  jwtPart,
  login,
  LOGIN,
  LOGOUT,
  queryUsersDb,
  REFRESH,
  signedInAs,
  STRONG_PASSWORD,
  type AuditEntry,
  type FreshUser,
  type Session,
} from "@asky/stack/testing";

export const stack = testStack();
