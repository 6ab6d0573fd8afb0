/**
 * `npm start`: the whole Asky backend on this machine (embedded Postgres unless DATABASE_URL,
 * nats-server unless NATS_URL, four subgraphs, gateway). A process that dies is restarted
 * with back-off; Ctrl-C, or one process crash-looping, stops everything.
 *
 * Ports can be moved with GATEWAY_PORT, USERS_PORT, DISPENSERS_PORT, REQUESTS_PORT, REPORTS_PORT,
 * POSTGRES_PORT, NATS_PORT; the data folder with ASKY_DATA_DIR (default .data).
 */
import { consoleSink, PortInUseError, StackError, startStack, type PortName, type Stack } from "@asky/stack";

const log = consoleSink();
const say = (line = ""): void => log("stack", line, "stdout");

function portsFromEnv(): Partial<Record<PortName, number>> {
  const names: Record<PortName, string> = {
    gateway: "GATEWAY_PORT",
    users: "USERS_PORT",
    dispensers: "DISPENSERS_PORT",
    requests: "REQUESTS_PORT",
    reports: "REPORTS_PORT",
    postgres: "POSTGRES_PORT",
    nats: "NATS_PORT",
  };
  const ports: Partial<Record<PortName, number>> = {};
  for (const [port, variable] of Object.entries(names) as [PortName, string][]) {
    const raw = process.env[variable];
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0 || value > 65535) {
      console.error(`${variable} must be a TCP port, got "${raw}"`);
      process.exit(2);
    }
    ports[port] = value;
  }
  return ports;
}

const aborter = new AbortController();
let shuttingDown = false;
let firstSignalAt = 0;

const startup: Promise<Stack> = startStack({
  ports: portsFromEnv(),
  ...(process.env.ASKY_DATA_DIR ? { dataDir: process.env.ASKY_DATA_DIR } : {}),
  log,
  signal: aborter.signal,
  // A process that dies is restarted by the stack (defaultRestartPolicy); one that keeps
  // dying makes the stack stop itself, and then we exit non-zero.
  onCrashLoop: () => {
    if (!shuttingDown) void shutdown(1);
  },
});

async function shutdown(code: number): Promise<never> {
  shuttingDown = true;
  aborter.abort();
  const stack = await startup.catch(() => undefined);
  await stack?.stop();
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (!shuttingDown) {
    firstSignalAt = now;
    say(`${signal}: stopping everything (press Ctrl-C again to force)`);
    void shutdown(0);
    return;
  }
  // The same Ctrl-C can arrive more than once (terminal, npm, bootstrap forwarding it).
  if (now - firstSignalAt < 1500) return;
  log("stack", "forced exit: killing remaining processes", "stderr");
  process.exit(130); // the process-exit hook in @asky/stack kills what is left
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

let stack: Stack;
try {
  stack = await startup;
} catch (error) {
  if (shuttingDown) await new Promise(() => {}); // shutdown() exits
  if (error instanceof StackError) {
    console.error(`\nAsky could not start:\n${error.message}`);
    if (error instanceof PortInUseError) {
      console.error(
        "Ports can be moved with GATEWAY_PORT, USERS_PORT, DISPENSERS_PORT, REQUESTS_PORT, REPORTS_PORT, POSTGRES_PORT, NATS_PORT.",
      );
    }
  } else {
    console.error("\nAsky could not start:", error);
  }
  process.exit(1);
}

const local = (url: string): string => url.replace("//127.0.0.1:", "//localhost:");
const masked = stack.adminDatabaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
const firstRun = Object.values(stack.seeded).some(Boolean);

const banner = [
  "",
  "Asky is running.",
  `  GraphQL endpoint:                            ${local(stack.gatewayUrl)}`,
  `  Health:                                      ${local(stack.healthUrls.gateway)}`,
  `  Metrics:    ${local(stack.healthUrls.gateway).replace(/\/health$/, "/metrics")} with "Authorization: Bearer ${stack.metricsToken}" (new at every start)`,
  `  Subgraphs:  ${Object.entries(stack.subgraphUrls)
    .map(([name, url]) => `${name} ${local(url)}`)
    .join("  ")}`,
  `  Postgres:   ${masked}${process.env.DATABASE_URL ? "" : `  (passwords in ${stack.dataDir}/secrets.json)`}`,
  `  NATS:       ${stack.natsUrl}`,
  `  Data:       ${stack.dataDir} ${firstRun ? "(demo data seeded now)" : "(existing data kept; delete the folder to start over)"}`,
  "",
  "  Demo accounts (demo data, never in production), password asky-demo-2026:",
  "    admin@asky.dev        ADMIN",
  "    pharmacist@asky.dev   PHARMACIST",
  "    tech@asky.dev         PHARMACY_TECHNICIAN",
  "    nurse@asky.dev        NURSE, ward UTI-ADULTO",
  "    nurse.peds@asky.dev   NURSE, ward PEDIATRIA",
  "",
  "Press Ctrl-C to stop.",
  "",
];
for (const line of banner) say(line);
