/**
 * The request vocabulary every service shares: the requests schema's enums, the values in
 * request events, the GraphQL enums of the same names.
 */
export const requestKinds = ["MEDICATION", "MATERIAL", "ASSISTANCE", "RESTOCK"] as const;
export type RequestKind = (typeof requestKinds)[number];

export const requestPriorities = ["ROUTINE", "URGENT", "ASAP", "STAT"] as const;
export type RequestPriority = (typeof requestPriorities)[number];

export const requestStatuses = [
  "PENDING",
  "ACCEPTED",
  "PREPARING",
  // A second pharmacist checked the pick (issue 16); controlled requests must pass it.
  "VERIFIED",
  "DISPATCHED",
  "DELIVERED",
  "REJECTED",
  "CANCELLED",
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/**
 * The turnaround clock's milestones: the next one a request in progress must reach (ACCEPT
 * while PENDING, DISPATCH until it leaves the pharmacy, DELIVER while on its way). A closed
 * request has none.
 */
export const slaStages = ["ACCEPT", "DISPATCH", "DELIVER"] as const;
export type SlaStage = (typeof slaStages)[number];
