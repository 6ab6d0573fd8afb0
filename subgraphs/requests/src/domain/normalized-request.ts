import type { RequestKind, RequestPriority } from "@asky/contracts";
import type { AssistanceReason } from "./request-kinds.js";

export interface RequestLine {
  readonly itemId: string;
  readonly quantity: number;
}

/** A createRequest input checked and put in one canonical form (which the request hash covers). */
export interface NormalizedRequest {
  readonly kind: RequestKind;
  readonly priority: RequestPriority;
  readonly dispenserId: string;
  /** One line per item, ordered by item id. */
  readonly items: readonly RequestLine[];
  readonly note: string | null;
  readonly assistanceReason: AssistanceReason | null;
  readonly idempotencyKey: string | null;
}
