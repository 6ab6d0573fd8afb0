/**
 * What the services of the test stack logged. They log through their stdout pipes to this
 * run's copy of the log (tests/global-setup.ts), so a line arrives some time after the
 * response it belongs to: a marker each subgraph logs last shows their earlier lines are in.
 * The gateway needs none: it writes its lines (synchronously) before it answers, and the
 * subgraphs' markers are asked for after that answer, through the same reading process.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { testStack } from "@asky/stack/testing";

const subgraphs = ["users", "dispensers", "requests"] as const;

/** A call with a token the subgraph refuses, which it logs as "rejected internal token" under `marker`. */
async function logMarker(url: string, marker: string): Promise<void> {
  await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer not-a-token", "x-request-id": marker },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
}

const unmarked = (lines: readonly string[], marker: string) =>
  subgraphs.filter((service) => !lines.some((line) => line.includes(`[${service}]`) && line.includes(marker)));

/** Every line the services logged in this run until now, including those that were still in their pipes. */
export async function serviceLogLines(timeoutMs = 15_000): Promise<string[]> {
  const marker = `log-marker-${randomUUID()}`;
  const urls = testStack().subgraphUrls;
  await Promise.all(subgraphs.map((service) => logMarker(urls[service], marker)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await readFile(inject("serviceLogFile"), "utf8")).split("\n");
    const missing = unmarked(lines, marker);
    if (missing.length === 0) return lines;
    if (Date.now() > deadline) throw new Error(`${missing.join(", ")} logged no marker within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
