/** Back-off ceiling: however many attempts, the next is at most an hour away. */
export const MAX_BACK_OFF_MS = 3_600_000;

/**
 * Wait after failed attempt `attempt` (1-based): base × 2^(attempt-1), capped, with "full
 * jitter" on its upper half, so receivers coming back up are not hit by every sender at once.
 */
export function backOffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACK_OFF_MS, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
