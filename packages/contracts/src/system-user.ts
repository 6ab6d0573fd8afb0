/**
 * The user id under which Asky itself acts: the requester of RESTOCK requests opened by the
 * restock loop and the actor of their history. The contract makes `requester` and
 * `history.by` a `User!`, so it is a real, built-in account of the users service (created by
 * its migrations in every environment, inactive, with no usable password), named so that a
 * pharmacist reading the board sees "Asky (reposição automática)" rather than a person.
 */
export const SYSTEM_USER_ID = "00000000-0000-4000-8000-00000000a5c1";
