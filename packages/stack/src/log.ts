import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Where the stack and its child processes write their output, one line at a time.
 * `source` is the short process name (`stack`, `postgres`, `nats`, `users`, ...).
 */
export type LogSink = (source: string, line: string, stream: "stdout" | "stderr") => void;

const palette = [36, 33, 35, 32, 34, 91, 96, 93, 95, 92];
const fixedColors: Record<string, number> = {
  stack: 1,
  postgres: 34,
  nats: 32,
  users: 36,
  dispensers: 33,
  requests: 35,
  reports: 95,
  gateway: 96,
};
const width = "dispensers".length + 2;

function colorFor(source: string): number {
  const fixed = fixedColors[source];
  if (fixed !== undefined) return fixed;
  let hash = 0;
  for (const char of source) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? 36;
}

export function formatLine(source: string, line: string, color: boolean): string {
  const tag = `[${source}]`.padEnd(width);
  return color ? `\x1b[${colorFor(source)}m${tag}\x1b[0m ${line}` : `${tag} ${line}`;
}

function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

/** Prefixed lines on this process' stdout/stderr, colored when that stream is a terminal. */
export function consoleSink(): LogSink {
  return (source, line, stream) => {
    const out = stream === "stderr" ? process.stderr : process.stdout;
    out.write(`${formatLine(source, line, useColor(out))}\n`);
  };
}

/** Appends prefixed, uncolored lines to a file (truncated when the sink is created). */
export function fileSink(path: string): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "");
  return (source, line) => {
    appendFileSync(path, `${new Date().toISOString()} ${formatLine(source, line, false)}\n`);
  };
}

/** Sends every line to all given sinks. */
export function teeSink(...sinks: LogSink[]): LogSink {
  return (source, line, stream) => {
    for (const sink of sinks) sink(source, line, stream);
  };
}

/** A sink that drops everything. */
export const silentSink: LogSink = () => {};
