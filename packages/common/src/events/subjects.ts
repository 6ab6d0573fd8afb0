/**
 * Every JetStream subject Asky publishes, spelled once: producers and consumers in other
 * services import the same constant, so a renamed event cannot silently stop being consumed.
 */
export const eventSubjects = {
  requestCreated: "asky.requests.created",
  requestStatusChanged: "asky.requests.status_changed",
  stockLow: "asky.dispensers.stock_low",
  accessRevoked: "asky.users.access_revoked",
} as const;
