/**
 * Scenario 4: subscription fan-out on one gateway process. A fresh Asky gateway per size
 * (so its memory baseline is clean), subscribers in two client processes, 50 subscriptions
 * per socket, all to `requestEvents(dispenserId)`; a pharmacist moves requests along and each
 * client records when every event arrives. Latency = receipt − the event's `at` (the status
 * change's timestamp in the requests service).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { requestStatusChanged } from "@asky/contracts";
import type { Bench } from "../context.js";
import { metricsAuthorization, repoRoot } from "../context.js";
import { CpuMeter, rssKiB } from "../cpu.js";
import { createRequest, gql, WARD, wardBoardQuery } from "../fixtures.js";
import { log } from "../rounds.js";
import { section, type Section } from "../section.js";
import { startChild, type Child } from "../spawn.js";
import { formatSummary, summarizeProfile } from "../profile-summary.js";
import { fmt, median, summarize } from "../stats.js";

const gatewayEntry = join(repoRoot, "gateway", "src", "index.ts");
const clientEntry = new URL("../fanout-client.ts", import.meta.url).pathname;
const profiledEntry = new URL("../profiled-entry.ts", import.meta.url).pathname;
/** `BENCH_PROFILE_DIR=… --only=4`: CPU-profile the fan-out gateway while the events run. */
const profileDir = process.env.BENCH_PROFILE_DIR;
const PER_SOCKET = 50;
const CLIENTS = 2;

const subscription = `subscription Board($dispenserId: ID) {
  requestEvents(dispenserId: $dispenserId) {
    cursor type previousStatus status at
    actor { fullName }
    request { number status requester { fullName } dispenser { name } items { quantity item { name } } }
  }
}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every subscriber is the same nurse, far past what the gateway lets one person hold (16
 * sockets, 600 subscriptions): the fan-out gateway lets her hold them all. The per-socket
 * limit (50) is PER_SOCKET's, unchanged.
 */
function oneUserHoldsAll(size: number): Record<string, string> {
  return { WS_MAX_SOCKETS_PER_USER: String(size), WS_MAX_SUBSCRIPTIONS_PER_USER: String(size) };
}

function ask<T>(child: Child, command: unknown, reply: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name}: no ${reply} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type: string; message?: string }) => {
      if (message.type === reply || message.type === "failed") {
        clearTimeout(timer);
        child.process.off("message", onMessage);
        if (message.type === "failed") reject(new Error(`${child.name}: ${message.message}`));
        else resolve(message as T);
      }
    };
    child.process.on("message", onMessage);
    child.process.send(command as object);
  });
}

async function metric(gatewayUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", gatewayUrl), { headers: metricsAuthorization() })).text();
  return Number(new RegExp(`^${name} ([\\d.e+-]+)$`, "m").exec(text)?.[1] ?? 0);
}

const activeSubscriptions = (gatewayUrl: string) => metric(gatewayUrl, "asky_gateway_active_subscriptions");

/** The gateway's own timing of its pipeline (see gateway/src/metrics.ts), as counters. */
async function pipelineCounters(gatewayUrl: string) {
  const [executions, payloadSeconds, toWrittenSeconds] = await Promise.all([
    metric(gatewayUrl, "asky_gateway_subscription_payload_executions_total"),
    metric(gatewayUrl, "asky_gateway_subscription_payload_seconds_total"),
    metric(gatewayUrl, "asky_gateway_subscription_event_to_fanout_seconds_total"),
  ]);
  return { executions, payloadSeconds, toWrittenSeconds };
}

interface Step {
  requestId: string;
  version: number;
  next: string[];
}

export async function fanout(bench: Bench): Promise<Section> {
  const { settings, stack, fixtures } = bench;
  const out = section("fanout", "4. Subscription fan-out (status change → client)", [
    "subscribers",
    "sockets",
    "events",
    "deliveries",
    "p50 ms",
    "p99 ms",
    "max ms",
    "gateway RSS Δ per idle subscriber",
    "open time s",
  ]);
  const changeStatus = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { version status updatedAt } }`;
  for (const size of settings.fanoutSizes) {
    const profileName = `fanout-gateway-${size}`;
    const limits = oneUserHoldsAll(size);
    const gateway = profileDir
      ? await bench.startTarget(profileName, profiledEntry, {
          readyOnHealth: true,
          env: {
            ...limits,
            BENCH_PROFILE_ENTRY: gatewayEntry,
            BENCH_PROFILE_DIR: profileDir,
            BENCH_PROFILE_NAME: profileName,
          },
        })
      : await bench.startTarget(profileName, gatewayEntry, { readyOnHealth: true, env: limits });
    const clients: Child[] = [];
    try {
      for (let i = 0; i < CLIENTS; i += 1) {
        clients.push(
          await startChild({
            name: `fanout-client-${i}`,
            entry: clientEntry,
            env: { ...process.env },
            logFile: join(bench.logDir, `fanout-client-${i}.log`),
            ipc: true,
          }),
        );
      }
      // Requests to move along: three status changes each (ACCEPTED, PREPARING, DISPATCHED).
      // The first one's changes warm the pipeline up and are reported apart.
      const warmupRequest = await createRequest(stack.gatewayUrl, fixtures, `fanout-${size}-warmup`);
      const warmup: Step = {
        requestId: warmupRequest.id,
        version: warmupRequest.version,
        next: ["ACCEPTED", "PREPARING", "DISPATCHED"],
      };
      const steps: Step[] = [];
      for (let i = 0; i < Math.ceil(settings.fanoutEvents / 3); i += 1) {
        const created = await createRequest(stack.gatewayUrl, fixtures, `fanout-${size}`);
        steps.push({ requestId: created.id, version: created.version, next: ["ACCEPTED", "PREPARING", "DISPATCHED"] });
      }
      // Warm the fresh gateway as if it had been serving (schema, plans, token caches, a
      // connection to every subgraph: the ward board reaches all three), then let it settle
      // for the memory baseline. Starting cold is scenario 5's business.
      for (let i = 0; i < 20; i += 1) await gql(gateway.url, wardBoardQuery, { ward: WARD }, fixtures.nurseToken);
      await sleep(2_000);
      const baseline = rssKiB(gateway.pid);

      const sockets = Math.ceil(size / PER_SOCKET);
      const wsUrl = gateway.url.replace(/^http/, "ws");
      const openedAt = performance.now();
      await Promise.all(
        clients.map((client, i) => {
          const mine = Math.floor(sockets / CLIENTS) + (i < sockets % CLIENTS ? 1 : 0);
          return ask(
            client,
            {
              type: "open",
              url: wsUrl,
              token: fixtures.nurseToken,
              query: subscription,
              variables: { dispenserId: fixtures.dispenserId },
              sockets: mine,
              perSocket: PER_SOCKET,
            },
            "opened",
          );
        }),
      );
      for (let tries = 0; (await activeSubscriptions(gateway.url)) < size; tries += 1) {
        if (tries > 600)
          throw new Error(`only ${await activeSubscriptions(gateway.url)} of ${size} subscriptions became active`);
        await sleep(100);
      }
      const openSeconds = (performance.now() - openedAt) / 1000;
      await sleep(3_000);
      const idle = rssKiB(gateway.pid);
      const perSubscriberKiB = (idle - baseline) / size;
      log(
        `  ${size} subscribers on ${sockets} sockets open in ${fmt(openSeconds)} s; gateway RSS ${fmt(baseline / 1024)} → ${fmt(idle / 1024)} MiB (${fmt(perSubscriberKiB)} KiB each)`,
      );

      // Watch the same events on NATS, to split the latency into stages.
      const nats = await connect({ servers: stack.natsUrl, name: "asky-bench" });
      const seenOnNats = new Map<string, number>();
      const natsSubscription = nats.subscribe(requestStatusChanged.subject, {
        callback: (_error, message) => {
          const at = Date.now();
          const envelope = requestStatusChanged.parse(message.json());
          seenOnNats.set(`${envelope.data.requestId}/${envelope.data.status}`, at - Date.parse(envelope.occurredAt));
        },
      });
      const returned: number[] = [];
      const keys: string[] = [];
      const gap = size >= 5_000 ? 2_500 : 1_000;
      const changeAndWait = async (step: Step, status: string) => {
        const result = await gql<{ changeRequestStatus: { version: number; updatedAt: string } }>(
          stack.gatewayUrl,
          changeStatus,
          { input: { requestId: step.requestId, status, expectedVersion: step.version } },
          fixtures.pharmacistToken,
        );
        const answeredAt = Date.now();
        step.version = result.changeRequestStatus.version;
        await sleep(gap);
        return answeredAt - Date.parse(result.changeRequestStatus.updatedAt);
      };

      // A gateway that has been in service has its fan-out path compiled by V8's optimizing
      // tiers; a process seconds old has not, and its first few events are slower. Those are
      // sent first and reported separately, not counted in the percentiles.
      for (const status of warmup.next) await changeAndWait(warmup, status);
      const warmupSamples = await Promise.all(
        clients.map((client) =>
          ask<{ latencies: Record<string, number[]>; failures: number }>(client, { type: "collect" }, "samples"),
        ),
      );
      const warmupByEvent = new Map<string, number[]>();
      for (const { latencies } of warmupSamples) {
        for (const [cursor, values] of Object.entries(latencies))
          warmupByEvent.set(cursor, [...(warmupByEvent.get(cursor) ?? []), ...values]);
      }
      const warmupSummaries = [...warmupByEvent.values()].map((values) => summarize(values));

      const meter = new CpuMeter({
        gateway: () => [gateway.pid],
        clients: () => clients.map((c) => c.pid),
        ...bench.backendPids(),
      });
      const pipelineBefore = await pipelineCounters(gateway.url);
      meter.begin();
      if (profileDir) process.kill(gateway.pid, "SIGUSR2");
      let events = 0;
      for (const step of steps) {
        for (const status of step.next) {
          if (events >= settings.fanoutEvents) break;
          returned.push(await changeAndWait(step, status));
          keys.push(`${step.requestId}/${status}`);
          events += 1;
        }
      }
      const cpu = meter.end();
      const pipelineAfter = await pipelineCounters(gateway.url);
      const executions = pipelineAfter.executions - pipelineBefore.executions;
      const perExecutionMs = (key: "payloadSeconds" | "toWrittenSeconds") =>
        ((pipelineAfter[key] - pipelineBefore[key]) * 1000) / Math.max(1, executions);
      if (profileDir) {
        process.kill(gateway.pid, "SIGUSR2");
        const file = join(profileDir, `${profileName}.cpuprofile`);
        for (let i = 0; i < 50 && !existsSync(file); i += 1) await sleep(200);
        if (existsSync(file)) log(formatSummary(`${profileName} (${file})`, summarizeProfile(file, 30)));
      }
      natsSubscription.unsubscribe();
      await nats.close();
      const natsLatencies = keys.map((key) => seenOnNats.get(key)).filter((v): v is number => v !== undefined);
      const collected = await Promise.all(
        clients.map((client) =>
          ask<{ latencies: Record<string, number[]>; failures: number }>(client, { type: "collect" }, "samples"),
        ),
      );
      const all: number[] = [];
      const perEvent = new Map<string, number[]>();
      let failures = 0;
      for (const { latencies, failures: f } of collected) {
        failures += f;
        for (const [cursor, values] of Object.entries(latencies)) {
          all.push(...values);
          const merged = perEvent.get(cursor) ?? [];
          merged.push(...values);
          perEvent.set(cursor, merged);
        }
      }
      const eventSummaries = [...perEvent.values()].map((values) => summarize(values));
      const summary = summarize(all);
      out.rows.push([
        size.toLocaleString("en-US"),
        String(sockets),
        String(events),
        `${all.length.toLocaleString("en-US")} / ${(size * events).toLocaleString("en-US")}`,
        fmt(summary.p50),
        fmt(summary.p99),
        fmt(summary.max),
        `${fmt(perSubscriberKiB)} KiB`,
        fmt(openSeconds),
      ]);
      const busy = (group: string) => fmt((cpu.seconds[group] ?? 0) / cpu.wall, 2);
      out.notes.push(
        `${size.toLocaleString("en-US")} subscribers, where the time goes (medians over events, from the change's timestamp): mutation answered after ${fmt(median(returned))} ms; event on NATS after ${fmt(median(natsLatencies))} ms (outbox relay); at the clients after ${fmt(summary.p50)} ms (p50) — so NATS → gateway → client took about ${fmt(summary.p50 - median(natsLatencies))} ms. Per event, NATS lag: ${natsLatencies.map((v) => fmt(v, 0)).join(", ")} ms; at the clients, p50/max: ${eventSummaries.map((e) => `${fmt(e.p50, 0)}/${fmt(e.max, 0)}`).join(", ")} ms. Before these, ${warmupSummaries.length} warm-up events (not counted) reached the clients at p50/max ${warmupSummaries.map((e) => `${fmt(e.p50, 0)}/${fmt(e.max, 0)}`).join(", ")} ms.`,
      );
      out.notes.push(
        `${size.toLocaleString("en-US")} subscribers, inside the gateway (its /metrics, mean over ${executions} payload executions): payload query ${fmt(perExecutionMs("payloadSeconds"))} ms; from the change's commit to the payload written to all ${size.toLocaleString("en-US")} sockets' buffers ${fmt(perExecutionMs("toWrittenSeconds"))} ms.`,
      );
      out.notes.push(
        `${size.toLocaleString("en-US")} subscribers: during the events (one every ${gap} ms) the gateway used ${busy("gateway")} cores, the two client processes ${busy("clients")}, everything else on the machine ${fmt(cpu.others / cpu.wall, 2)}; ${failures} client-side errors. Gateway RSS ${fmt(baseline / 1024)} MiB before, ${fmt(idle / 1024)} MiB with the subscribers idle.`,
      );
      log(
        `  ${size} subscribers: ${all.length} deliveries of ${size * events}, p50 ${fmt(summary.p50)} ms, p99 ${fmt(summary.p99)} ms, max ${fmt(summary.max)} ms`,
      );
      const limit = size <= 1_000 ? 50 : 300;
      const complete = all.length === size * events && failures === 0;
      out.verdicts.push({
        target: `Status change → client p99 < ${limit} ms with ${size.toLocaleString("en-US")} subscribers`,
        met: complete && summary.p99 < limit,
        detail: `p99 ${fmt(summary.p99)} ms, ${all.length}/${size * events} delivered`,
      });
      if (size === Math.max(...settings.fanoutSizes)) {
        out.verdicts.push({
          target: "< 40 KB gateway memory per idle subscriber",
          met: perSubscriberKiB * 1.024 < 40,
          detail: `${fmt(perSubscriberKiB * 1.024)} KB (RSS Δ ÷ ${size.toLocaleString("en-US")})`,
        });
      }
      await Promise.all(clients.map((client) => ask(client, { type: "close" }, "closed")));
    } finally {
      await Promise.all(clients.map((client) => client.stop(5_000)));
      await gateway.stop();
    }
  }
  return out;
}
