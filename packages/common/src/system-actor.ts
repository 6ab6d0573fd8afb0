/** The system user's id is part of the contracts (the users migrations create the account). */
export { SYSTEM_USER_ID } from "@asky/contracts";
