/**
 * Scenario 8: pharmacyQueue against today's ward board (Query.requests, newest first), the same
 * ward, selection and page size, through the stack's gateway, paired round by round. The queue
 * orders open requests by urgency (past due, priority, due time) where the board orders every
 * request by creation; the issue asks for the queue to be at least as fast.
 */
import type { Bench } from "../context.js";
import { WARD, wardBoardBody } from "../fixtures.js";
import { log, pairedRounds, type Contender, type Measured } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt, median } from "../stats.js";

const BOARD = "ward board (requests)";
const QUEUE = "pharmacyQueue";

const queueBody = JSON.stringify({
  query: `query PharmacyQueue($ward: String!) {
  pharmacyQueue(first: 20, ward: $ward) {
    totalCount
    edges { node { id number status priority createdAt sla { stage dueAt breached } requester { fullName } dispenser { name code } items { quantity item { name unit } } } }
  }
}`,
  variables: { ward: WARD },
  operationName: "PharmacyQueue",
});

export async function pharmacyQueue(bench: Bench): Promise<Section> {
  const { settings, stack, fixtures } = bench;
  const out = section("pharmacy-queue", "8. pharmacyQueue vs. the ward board", [
    "query",
    "load",
    "req/s (median)",
    "p50 ms",
    "p99 ms",
    "errors",
  ]);
  const auth = { authorization: `Bearer ${fixtures.nurseToken}` };
  const gatewayPid = stack.processes.gateway!.pid!;
  const contenders = (connections: number): Contender[] => [
    {
      name: BOARD,
      pid: gatewayPid,
      options: { url: stack.gatewayUrl, body: wardBoardBody, headers: auth, connections },
    },
    { name: QUEUE, pid: gatewayPid, options: { url: stack.gatewayUrl, body: queueBody, headers: auth, connections } },
  ];
  const runsOf = (measured: Measured[], name: string) => measured.filter((m) => m.name === name);
  const rows = (label: string, measured: Measured[]) => {
    for (const name of [BOARD, QUEUE]) {
      const runs = runsOf(measured, name);
      out.rows.push([
        name,
        label,
        fmt(median(runs.map((m) => m.result.rps))),
        fmt(median(runs.map((m) => m.result.latency.p50))),
        fmt(median(runs.map((m) => m.result.latency.p99))),
        String(runs.reduce((sum, m) => sum + m.result.non2xx + m.result.errors, 0)),
      ]);
    }
  };
  log(
    `scenario 8: saturation, ${settings.connections} connections, ${settings.rounds} rounds × ${settings.roundSeconds} s`,
  );
  const saturated = await pairedRounds(bench, contenders(settings.connections), settings.rounds, settings.roundSeconds);
  rows(`max, ${settings.connections} conns`, saturated);
  log(`scenario 8: one request at a time, ${settings.rounds} rounds × ${settings.fixedRateSeconds} s`);
  const sequential = await pairedRounds(bench, contenders(1), settings.rounds, settings.fixedRateSeconds);
  rows("one at a time", sequential);

  const ratio = (measured: Measured[]) => {
    const board = runsOf(measured, BOARD);
    return runsOf(measured, QUEUE).map((m, i) => m.result.rps / board[i]!.result.rps);
  };
  const throughput = median(ratio(saturated));
  const oneAtATime = median(ratio(sequential));
  out.notes.push(
    `pharmacyQueue req/s ÷ ward board req/s per round: saturated ${ratio(saturated)
      .map((r) => fmt(r, 2))
      .join(", ")}; one at a time ${ratio(sequential)
      .map((r) => fmt(r, 2))
      .join(", ")}.`,
  );
  out.verdicts.push({
    target: "pharmacyQueue at least as fast as the ward board",
    // Paired rounds on a shared machine: within 5% is as fast.
    met: throughput >= 0.95 && oneAtATime >= 0.95,
    detail: `throughput ratio ${fmt(throughput, 2)}× saturated, ${fmt(oneAtATime, 2)}× one at a time`,
  });
  return out;
}
