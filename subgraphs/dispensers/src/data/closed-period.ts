import type { GraphQLError } from "graphql";
import { errors } from "@asky/runtime";

/** SQLSTATE the closed-period triggers of migration 0004 raise; DETAIL is `<list> <month>`. */
const PERIOD_CLOSED_STATE = "AS344";

interface PgErrorFields {
  readonly code?: unknown;
  readonly detail?: unknown;
  readonly cause?: unknown;
}

/**
 * The client's refusal (CONFLICT, reason PERIOD_CLOSED) when `error` is the database refusing
 * a write into a closed month of a controlled book; null for any other error. The driver's
 * error is looked for along a few `cause` links, drizzle wrapping it once.
 */
export function periodClosedRefusal(error: unknown): GraphQLError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const fields = current as PgErrorFields;
    if (fields.code === PERIOD_CLOSED_STATE) {
      const [list = "", month = ""] = typeof fields.detail === "string" ? fields.detail.split(" ") : [];
      return errors.conflict(`The ${list} book of ${month} is closed; nothing in it can change`, {
        reason: "PERIOD_CLOSED",
        controlList: list,
        month,
      });
    }
    current = fields.cause;
  }
  return null;
}

/** Runs a write, turning the database's closed-period refusal into the client's CONFLICT. */
export async function refusingClosedPeriods<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw periodClosedRefusal(error) ?? error;
  }
}
