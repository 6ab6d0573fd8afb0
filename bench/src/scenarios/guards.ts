/**
 * Scenario 6: what bounding every operation costs, and what it buys.
 *
 * A. The ward board through two gateways that differ only in their admission checks
 *    (operation limits and rate-limit bookkeeping on, and off), A B A B at saturation.
 * B. Another ward's nurse's board at a steady rate, first on an idle stack, then while three
 *    clients loop the most expensive operation the limits accept, back to back. Rate limits
 *    are lifted for the bench, so this is the worst case: with the default per-user allowance
 *    the three clients would get 30 operations a second between them.
 */
import type { Bench } from "../context.js";
import { checkWardBoard, gql, login, wardBoardBody } from "../fixtures.js";
import { load, type LoadResult } from "../load.js";
import { cpuPerRequest, log, pairedRounds, settle, type Contender } from "../rounds.js";
import { section, type Section } from "../section.js";
import { fmt, median } from "../stats.js";

const target = (file: string) => new URL(`../targets/${file}`, import.meta.url).pathname;

/** Cost ~20,800 of the 25,000 allowed, depth 8, five subgraph fetches per run. */
export const worstAcceptedQuery = `query Worst { requests(first: 100) { edges { node {
  id number status priority createdAt
  history { from to at by { fullName } }
  items { quantity item { name unit } }
  requester { fullName requests(first: 10) { totalCount edges { node { id number status } } } }
  dispenser { name code openRequests { id number status } }
} } } }`;

const otherWardBoard = JSON.stringify({
  query: `query WardBoard { requests(first: 20) { totalCount edges { node { id number status priority createdAt requester { fullName } dispenser { name code } items { quantity item { name unit } } } } } }`,
  operationName: "WardBoard",
});

const nest = (levels: number, wrap: (inner: string) => string) => {
  let selection = "id";
  for (let level = 0; level < levels; level += 1) selection = wrap(selection);
  return selection;
};

/** The documents that took the first version down (p99 column: the slowest of 20). */
const attackDocuments: { name: string; query: string }[] = [
  {
    name: "openRequests → dispenser chain, 14 levels",
    query: `{ dispensers(first: 100) { edges { node { ${nest(7, (inner) => `openRequests { dispenser { ${inner} } }`)} } } } }`,
  },
  {
    name: "requests → requester → requests, 4 levels",
    query: `{ ${nest(4, (inner) => `requests(first: 100) { edges { node { requester { ${inner} } } } }`)} }`,
  },
  {
    name: "1,000 aliases of requests(first: 100)",
    query: `{ ${Array.from({ length: 1_000 }, (_, index) => `a${index}: requests(first: 100) { totalCount }`).join(" ")} }`,
  },
  { name: "depth 200", query: `{ ${nest(200, (inner) => `dispenser(id: "x") { ${inner} }`)} }` },
  {
    name: "2^25 fragment spreads",
    query: `{ ...F0 } ${Array.from({ length: 25 }, (_, level) => `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`).join(" ")} fragment F25 on Query { __typename }`,
  },
];

/** The gateway's shipped allowances (admission-config.ts), over the bench's lifted ones. */
const shippedAllowances: Record<string, string> = {
  RATE_LIMIT_ADDRESS_BURST: "600",
  RATE_LIMIT_ADDRESS_PER_SECOND: "100",
  RATE_LIMIT_USER_BURST: "200",
  RATE_LIMIT_USER_PER_SECOND: "30",
  COST_LIMIT_USER_BURST: "100000",
  COST_LIMIT_USER_PER_SECOND: "25000",
};

const GUARDED = "guards on";
const UNGUARDED = "guards off";

export async function guards(bench: Bench): Promise<Section> {
  const { settings, stack, fixtures } = bench;
  const out = section(
    "guards",
    "6. Operation guards: their cost, and another ward's board while the worst accepted operation loops",
    ["run", "load", "req/s (median)", "p50 ms", "p99 ms", "errors", "gateway CPU ms/req"],
  );

  const guarded = await bench.startTarget("asky-guards-on", target("asky-guarded.ts"), { readyOnHealth: true });
  const unguarded = await bench.startTarget("asky-guards-off", target("asky-no-guards.ts"), { readyOnHealth: true });
  try {
    await checkWardBoard(guarded.url, fixtures.nurseToken);
    await checkWardBoard(unguarded.url, fixtures.nurseToken);
    const auth = { authorization: `Bearer ${fixtures.nurseToken}` };
    const contenders: Contender[] = [
      {
        name: GUARDED,
        pid: guarded.pid,
        options: { url: guarded.url, body: wardBoardBody, headers: auth, connections: settings.connections },
      },
      {
        name: UNGUARDED,
        pid: unguarded.pid,
        options: { url: unguarded.url, body: wardBoardBody, headers: auth, connections: settings.connections },
      },
    ];
    log(`scenario 6A: ward board, guards on and off, ${settings.rounds} rounds × ${settings.roundSeconds} s`);
    const measured = await pairedRounds(bench, contenders, settings.rounds, settings.roundSeconds);
    for (const name of [GUARDED, UNGUARDED]) {
      const runs = measured.filter((m) => m.name === name);
      out.rows.push([
        `A. ward board, ${name}`,
        `max, ${settings.connections} conns`,
        fmt(median(runs.map((m) => m.result.rps))),
        fmt(median(runs.map((m) => m.result.latency.p50))),
        fmt(median(runs.map((m) => m.result.latency.p99))),
        String(runs.reduce((sum, m) => sum + m.result.non2xx + m.result.errors, 0)),
        fmt(median(runs.map((m) => cpuPerRequest(m, "gateway")))),
      ]);
    }
    const on = measured.filter((m) => m.name === GUARDED).sort((a, b) => a.round - b.round);
    const off = measured.filter((m) => m.name === UNGUARDED).sort((a, b) => a.round - b.round);
    const costs = on.map((m, index) => 1 - m.result.rps / off[index]!.result.rps);
    const cost = median(costs);
    out.notes.push(
      `Throughput lost to the guards per round (1 − on ÷ off): ${costs.map((c) => `${fmt(100 * c, 1)}%`).join(", ")}; median **${fmt(100 * cost, 1)}%**. The subscription fan-out path runs no guard per event: a subscription document is measured once, when it is subscribed.`,
    );
    out.verdicts.push({
      target: "Guards cost < 5% of ward-board throughput",
      met: cost < 0.05,
      detail: `median ${fmt(100 * cost, 1)}% over ${costs.length} rounds`,
    });
  } finally {
    await Promise.all([guarded.stop(), unguarded.stop()]);
  }

  // Each attack that took the first version down, timed from the client: refused, not run.
  const nurseAuth = { "content-type": "application/json", authorization: `Bearer ${fixtures.nurseToken}` };
  for (const attack of attackDocuments) {
    const times: number[] = [];
    let status = 0;
    for (let run = 0; run < 20; run += 1) {
      const started = performance.now();
      const response = await fetch(stack.gatewayUrl, {
        method: "POST",
        headers: nurseAuth,
        body: JSON.stringify({ query: attack.query }),
      });
      await response.arrayBuffer();
      times.push(performance.now() - started);
      status = response.status;
    }
    const sorted = [...times].sort((a, b) => a - b);
    out.rows.push([
      `refusal: ${attack.name}`,
      `${fmt(attack.query.length / 1024, 1)} KiB, HTTP ${status}`,
      "–",
      fmt(median(times)),
      fmt(sorted[sorted.length - 1]!),
      "–",
      "–",
    ]);
  }

  // B. The victim: PEDIATRIA's nurse, whose board shares no rows with the attacker's ward.
  const victimToken = await login(stack.gatewayUrl, "nurse.peds@asky.dev");
  await gql(stack.gatewayUrl, worstAcceptedQuery, {}, fixtures.pharmacistToken);
  const seconds = settings.quick ? 5 : 30;
  const victim = {
    url: stack.gatewayUrl,
    body: otherWardBoard,
    headers: { authorization: `Bearer ${victimToken}` },
    connections: 4,
    rate: 20,
    seconds,
  };
  const attacker = {
    url: stack.gatewayUrl,
    body: JSON.stringify({ query: worstAcceptedQuery, operationName: "Worst" }),
    headers: { authorization: `Bearer ${fixtures.pharmacistToken}` },
    connections: 3,
    seconds,
  };
  const row = (label: string, load: string, result: LoadResult) =>
    out.rows.push([
      label,
      load,
      fmt(result.rps),
      fmt(result.latency.p50),
      fmt(result.latency.p99),
      String(result.non2xx + result.errors),
      "–",
    ]);

  const idle: LoadResult[] = [];
  const loaded: LoadResult[] = [];
  const attacks: LoadResult[] = [];
  const rounds = settings.quick ? 1 : 2;
  for (let round = 1; round <= rounds; round += 1) {
    await settle(bench, [stack.processes.gateway!.pid!]);
    log(`scenario 6B round ${round}: other ward's board at 20 req/s, idle stack, ${seconds} s`);
    idle.push(await load(victim));
    await settle(bench, [stack.processes.gateway!.pid!]);
    log(`scenario 6B round ${round}: the same while 3 clients loop the worst accepted operation`);
    const [victimResult, attackResult] = await Promise.all([load(victim), load(attacker)]);
    loaded.push(victimResult);
    attacks.push(attackResult);
  }
  // C. The same attack through a replica with the shipped allowances (the bench lifts them
  // everywhere else): the per-user cost budget, not the request count, is what holds it back.
  const shipped = await bench.startTarget("asky-shipped-limits", target("asky-guarded.ts"), {
    readyOnHealth: true,
    env: shippedAllowances,
  });
  const limitedLoaded: LoadResult[] = [];
  const limitedAttacks: LoadResult[] = [];
  try {
    for (let round = 1; round <= rounds; round += 1) {
      await settle(bench, [stack.processes.gateway!.pid!, shipped.pid]);
      log(`scenario 6C round ${round}: the same attack through a gateway with the shipped rate limits`);
      const [victimResult, attackResult] = await Promise.all([load(victim), load({ ...attacker, url: shipped.url })]);
      limitedLoaded.push(victimResult);
      limitedAttacks.push(attackResult);
    }
  } finally {
    await shipped.stop();
  }

  idle.forEach((result, index) => row(`B. other ward's board, idle (round ${index + 1})`, "20 req/s", result));
  loaded.forEach((result, index) =>
    row(`B. other ward's board, under attack (round ${index + 1})`, "20 req/s", result),
  );
  attacks.forEach((result, index) =>
    row(`B. worst accepted operation (round ${index + 1})`, "3 clients, back to back", result),
  );
  limitedLoaded.forEach((result, index) =>
    row(`C. other ward's board, attack at shipped limits (round ${index + 1})`, "20 req/s", result),
  );
  limitedAttacks.forEach((result, index) =>
    row(`C. worst accepted operation, shipped limits (round ${index + 1})`, "3 clients, 2xx only", result),
  );
  const limitedRatios = limitedLoaded.map((result, index) => result.latency.p99 / idle[index]!.latency.p99);
  const limitedRatio = median(limitedRatios);
  const ratios = loaded.map((result, index) => result.latency.p99 / idle[index]!.latency.p99);
  const ratio = median(ratios);
  out.notes.push(
    `Other ward's board p99 under attack ÷ idle, per round: ${ratios.map((r) => fmt(r, 2)).join(", ")}; median **${fmt(ratio, 2)}×**. The attack ran ${attacks.map((a) => fmt(a.rps, 1)).join(", ")} operations/s (each ~100 requests with their history, items, requester's last 10 requests and cabinet's open requests).`,
  );
  out.notes.push(
    `With the shipped allowances (C: 25,000 cost/s and 30 requests/s per user, shared by the two gateways up), the same three clients got ${limitedAttacks.map((a) => fmt(a.rps, 1)).join(", ")} operations/s through (the rest answered 429 RATE_LIMITED); the other ward's board p99 ÷ idle: ${limitedRatios.map((r) => fmt(r, 2)).join(", ")}; median **${fmt(limitedRatio, 2)}×**.`,
  );
  out.verdicts.push({
    target: "Another ward's board p99 within 2× idle while the worst accepted operation loops",
    met: limitedRatio <= 2,
    detail: `${fmt(limitedRatio, 2)}× with the shipped rate limits (idle p99 ${fmt(median(idle.map((r) => r.latency.p99)))} ms, under attack ${fmt(median(limitedLoaded.map((r) => r.latency.p99)))} ms); ${fmt(ratio, 2)}× with every allowance lifted`,
  });
  return out;
}
