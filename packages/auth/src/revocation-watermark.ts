/**
 * How a gateway proves its revocation feed complete. It asks, on core NATS (outside `asky.>`,
 * so the stream never records it), and the users service answers after checking, in this
 * order, that its outbox holds no unpublished revocation and where the last one published
 * sits in the stream. Every revocation committed before the question was sent is therefore
 * at or below `sequence`: a feed that has read that far misses none of them. Request and
 * answer (rather than a pushed heartbeat) keep clocks out of it: the gateway dates the proof
 * by when it asked, on its own clock, and an answer held up in a stalled broker proves nothing newer.
 */
export const REVOCATION_WATERMARK_SUBJECT = "cluster.asky.users.revocation_watermark";

export type RevocationWatermark =
  /** Nothing unpublished: every revocation committed before the question is at or below `sequence` (0: none ever). */
  | { readonly kind: "complete"; readonly sequence: number; readonly streamCreated: string }
  /** Revocations wait in the outbox (broker trouble): no feed can be complete now. */
  | { readonly kind: "pending" };

export function parseRevocationWatermark(raw: unknown): RevocationWatermark | null {
  if (typeof raw !== "object" || raw === null) return null;
  const { kind, sequence, streamCreated } = raw as Record<string, unknown>;
  if (kind === "pending") return { kind };
  if (
    kind === "complete" &&
    typeof sequence === "number" &&
    Number.isSafeInteger(sequence) &&
    sequence >= 0 &&
    typeof streamCreated === "string"
  ) {
    return { kind, sequence, streamCreated };
  }
  return null;
}
