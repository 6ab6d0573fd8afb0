/**
 * Whether this process exports traces. Kept apart so that instrumentation which wraps
 * something (each SQL client) can skip the wrapping when it would record nothing.
 */
let enabled = false;

export function tracingEnabled(): boolean {
  return enabled;
}

export function setTracingEnabled(value: boolean): void {
  enabled = value;
}
