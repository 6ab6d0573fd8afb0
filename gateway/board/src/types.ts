/**
 * The shapes the board renders, read off the SDK's typed documents so they follow its
 * operations (packages/client/src/operations) without a second copy.
 */
import type { documents } from "@asky/client";

export type { AskyClient } from "@asky/client";

/** The result type a typed document carries (TypedDocumentNode's phantom field). */
type ResultOf<T> = T extends { __apiType?: (variables: never) => infer R } ? R : never;

export type BoardRequest = ResultOf<typeof documents.WardBoardDocument>["requests"]["edges"][number]["node"];
export type QueuePage = ResultOf<typeof documents.PharmacyQueueDocument>;
export type BoardEvent = ResultOf<typeof documents.RequestEventsDocument>["requestEvents"];
export type CatalogEntry = ResultOf<typeof documents.CatalogSearchDocument>["catalog"]["edges"][number]["node"];
export type RequestStatus = BoardRequest["status"];
export type RequestPriority = BoardRequest["priority"];
export type RequestKind = BoardRequest["kind"];
export type EventType = BoardEvent["type"];
export type SlaStage = NonNullable<BoardRequest["sla"]>["stage"];

/** Statuses a request is still in progress in: the ward board shows these. */
export const OPEN_STATUSES: readonly RequestStatus[] = ["PENDING", "ACCEPTED", "PREPARING", "VERIFIED", "DISPATCHED"];

export const isOpen = (status: RequestStatus): boolean => OPEN_STATUSES.includes(status);

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}
