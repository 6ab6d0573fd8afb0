import { appendEvent } from "@asky/events";
import { accessRevoked, type AccessRevokedData } from "@asky/contracts";
import { outbox } from "@asky/db/schema/users";
import { databaseClockMs } from "../data/clock.js";
import type { UsersExecutor } from "../data/db.js";

/**
 * Appends asky.users.access_revoked to the outbox. `revokedAt` is read on the database clock,
 * to the millisecond, like access tokens' `iat_ms` (see databaseClockMs), so a token and the
 * revocation that takes it back are compared on one clock.
 */
export async function recordAccessRevoked(
  tx: UsersExecutor,
  data: Omit<AccessRevokedData, "revokedAt">,
): Promise<void> {
  const revokedAt = new Date(await databaseClockMs(tx)).toISOString();
  await appendEvent(tx, outbox, accessRevoked.build({ ...data, revokedAt }));
}
