/**
 * Polls until `check` yields a value (anything but undefined, null or false), or fails after
 * `timeoutMs` naming what it waited for. Events cross processes and a broker, so tests wait
 * for their effects rather than sleeping a fixed time.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
