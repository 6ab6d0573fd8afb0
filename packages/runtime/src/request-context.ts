import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * The correlation id of the HTTP request being served. Kept in async-local storage so
 * that error masking and logging can reach it without threading it through every call.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

const acceptableId = /^[A-Za-z0-9._-]{8,128}$/;

/** Reuses a well-formed incoming `x-request-id` (so one id spans gateway and subgraphs). */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && acceptableId.test(value) ? value : randomUUID();
}

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string {
  return storage.getStore()?.requestId ?? "none";
}
