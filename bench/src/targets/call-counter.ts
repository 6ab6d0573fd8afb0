import http from "node:http";

/**
 * Counts the subgraph calls a bench peer makes and serves the count on BENCH_STATS_PORT, so
 * the report can say how many HTTP calls each gateway needs per ward board.
 */
export function startCallCounter(): { count(): void } {
  let calls = 0;
  const port = Number(process.env.BENCH_STATS_PORT ?? 0);
  if (port) {
    http.createServer((_req, res) => res.end(JSON.stringify({ calls }))).listen(port, "127.0.0.1");
  }
  return {
    count() {
      calls += 1;
    },
  };
}
