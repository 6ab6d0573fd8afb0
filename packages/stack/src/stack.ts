import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serviceRegistry } from "@asky/contracts";
import type { ServiceName } from "@asky/db";
import { prepareBuiltDatabase } from "./built-database.js";
import { loadDatabaseOps, prepareDatabase, type DatabaseOps } from "./database.js";
import { StackError } from "./errors.js";
import { consoleSink, type LogSink } from "./log.js";
import { startNats, checkNatsReachable, type RunningNats } from "./nats.js";
import { prepareDataDir } from "./data-dir.js";
import { repoRoot } from "./paths.js";
import { httpBase, resolvePorts, type PortName } from "./ports.js";

export { defaultPorts, type PortName, type StackPorts } from "./ports.js";
import { startEmbeddedPostgres, type RunningPostgres } from "./postgres.js";
import { spawnManaged, type ExitInfo, type ManagedProcess } from "./processes.js";
import { loadOrCreateSecrets } from "./secrets.js";
import { defaultRestartPolicy, Supervisor, type RestartPolicy } from "./supervisor.js";
import {
  serviceDir,
  serviceEntry,
  serviceEnv,
  subgraphIds,
  subgraphUrl,
  tsxImport,
  serviceNodeFlags,
  type ServiceEnvContext,
  type ServiceId,
} from "./services.js";
import { throwIfAborted, waitForHttp } from "./wait.js";

export interface StackOptions {
  /** Default: the fixed ports above. `"free"` (all, or per port) picks unused ports (tests). */
  ports?: Parameters<typeof resolvePorts>[0];
  /** Postgres cluster, JetStream store and generated secrets. Default `<repo>/.data`. */
  dataDir?: string;
  /** Delete dataDir on stop (a fresh temp folder is used when dataDir is not given). */
  ephemeral?: boolean;
  /** Where stack and service output goes. Default: prefixed lines on the console. */
  log?: LogSink;
  /** Extra environment per service; wins over everything serviceEnv() sets. */
  env?: Partial<Record<ServiceId, Readonly<Record<string, string>>>>;
  /** Admin URL of an existing Postgres. Default `process.env.DATABASE_URL`; null forces the embedded one. */
  databaseUrl?: string | null;
  /** URL of an existing NATS (JetStream on). Default `process.env.NATS_URL`; null forces our own. */
  natsUrl?: string | null;
  /** Interface the services bind to. Default 127.0.0.1. */
  host?: string;
  /** NODE_ENV of the services. Default `process.env.NODE_ENV` or "development". */
  nodeEnv?: string;
  /** LOG_LEVEL of the services. Default `process.env.LOG_LEVEL` or "info". */
  logLevel?: string;
  /** Default `<repo>/gateway/supergraph.graphql`. */
  supergraphPath?: string;
  /** Replace a service's entry file (any file `node --import tsx` can run). */
  entries?: Partial<Record<ServiceId, string>>;
  /**
   * Run everything from this build folder (`npm run build`) the way the image does: plain
   * `node <service>.js`, no TypeScript loader, and the database set up by its
   * `setup-database.js`. The supergraph defaults to the build's copy.
   */
  build?: string;
  /** Replace @asky/db (roles, migrations, seed). */
  database?: DatabaseOps;
  /** Serve the NATS monitoring endpoint on this port (off by default). */
  natsMonitorPort?: number;
  /** Per service, how long to wait for GET /health → 200. Default 120 s. */
  healthTimeoutMs?: number;
  /** Per process, how long a graceful stop may take before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
  /** Abort startup (everything started so far is stopped, startStack rejects). */
  signal?: AbortSignal;
  /** Called when a process dies while the stack is up (it is logged and restarted either way). */
  onUnexpectedExit?: (name: string, info: ExitInfo) => void;
  /**
   * A process that dies while the stack is up is started again after a back-off (Postgres and
   * NATS only when the stack started them). Default: defaultRestartPolicy (supervisor.ts).
   */
  restart?: Partial<RestartPolicy>;
  /**
   * Called once the stack has stopped itself because a process crash-looped (restart.maxCrashes
   * within restart.windowMs). The error says which and quotes its last output.
   */
  onCrashLoop?: (error: StackError) => void;
}

export interface Stack {
  /** GraphQL endpoint of the gateway, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  subgraphUrls: Record<ServiceName, string>;
  healthUrls: Record<ServiceId, string>;
  ports: Record<ServiceId, number>;
  adminDatabaseUrl: string;
  serviceDatabaseUrls: Record<ServiceName, string>;
  natsUrl: string;
  dataDir: string;
  /** Development signing keys of the services (generated on first start). */
  keysDir: string;
  /** Bearer token the gateway's /metrics asks for (new at every start). */
  metricsToken: string;
  /** Per service: true when demo data was seeded by this start. */
  seeded: Record<ServiceName, boolean>;
  /** True when this start created the Postgres cluster (first run). */
  postgresInitialised: boolean;
  /** The processes running now: a restarted one replaces its predecessor here. */
  readonly processes: Partial<Record<ServiceId | "postgres" | "nats", ManagedProcess>>;
  /** Stops everything this stack started, in reverse order. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Brings up the whole backend: Postgres (embedded unless DATABASE_URL), NATS (spawned unless
 * NATS_URL), roles + migrations + demo seed, the four subgraphs, then the gateway, waiting
 * for each service's /health. On any failure everything started so far is stopped again.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? consoleSink();
  const info = (line: string): void => log("stack", line, "stdout");
  const host = options.host ?? "127.0.0.1";
  const signal = options.signal;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const externalDb =
    options.databaseUrl === undefined ? process.env.DATABASE_URL || undefined : (options.databaseUrl ?? undefined);
  const externalNats =
    options.natsUrl === undefined ? process.env.NATS_URL || undefined : (options.natsUrl ?? undefined);
  const ephemeral = options.ephemeral ?? false;
  const buildDir = options.build === undefined ? undefined : resolve(options.build);

  const needed: PortName[] = ["gateway", ...subgraphIds];
  if (!externalDb) needed.push("postgres");
  if (!externalNats) needed.push("nats");
  const ports = await resolvePorts(options.ports, host, needed);

  const entries = {} as Record<ServiceId, string>;
  for (const id of [...subgraphIds, "gateway"] as const) {
    const built = buildDir === undefined ? undefined : join(buildDir, `${id}.js`);
    entries[id] = resolve(options.entries?.[id] ?? built ?? serviceEntry(id));
    if (!existsSync(entries[id])) throw new StackError(`The ${id} entry point ${entries[id]} does not exist.`);
  }

  const dataDir = await prepareDataDir({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), ephemeral }, log);

  let postgres: RunningPostgres | undefined;
  let nats: RunningNats | undefined;
  const services = new Map<ServiceId, ManagedProcess>();
  let stopping: Promise<void> | undefined;

  const supervisor = new Supervisor({
    log,
    policy: { ...defaultRestartPolicy, ...options.restart },
    ...(options.onUnexpectedExit ? { onExit: options.onUnexpectedExit } : {}),
    onCrashLoop: (error) => {
      void stop().then(() => options.onCrashLoop?.(error));
    },
  });

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Before anything is stopped: the exits this causes are not crashes to recover from.
      await supervisor.halt();
      const problems: string[] = [];
      const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
        try {
          await fn();
        } catch (error) {
          problems.push(`${what}: ${(error as Error).message}`);
        }
      };
      const gateway = services.get("gateway");
      if (gateway) await attempt("gateway", () => gateway.stop({ timeoutMs: stopTimeoutMs }));
      await Promise.all(
        subgraphIds.map((id) => {
          const proc = services.get(id);
          return proc ? attempt(id, () => proc.stop({ timeoutMs: stopTimeoutMs })) : undefined;
        }),
      );
      if (nats) await attempt("nats", () => nats!.stop(stopTimeoutMs));
      if (postgres) await attempt("postgres", () => postgres!.stop(Math.max(stopTimeoutMs, 30_000)));
      if (ephemeral) await attempt("data folder", () => rm(dataDir, { recursive: true, force: true }));
      info(problems.length === 0 ? "stopped" : `stopped with problems:\n  ${problems.join("\n  ")}`);
    })();
    return stopping;
  };

  try {
    const secrets = await loadOrCreateSecrets(join(dataDir, "secrets.json"));

    let adminDatabaseUrl: string;
    if (externalDb) {
      adminDatabaseUrl = externalDb;
      info("using the Postgres at DATABASE_URL");
    } else {
      info(`starting Postgres on 127.0.0.1:${ports.postgres} (data in ${join(dataDir, "postgres")})`);
      // A restart runs the same cluster on the same port: Postgres recovers from its WAL.
      const startPostgres = async (startSignal: AbortSignal | undefined): Promise<RunningPostgres> =>
        (postgres = await startEmbeddedPostgres({
          dir: join(dataDir, "postgres"),
          port: ports.postgres,
          password: secrets.postgresPassword,
          database: "asky",
          log,
          fast: ephemeral,
          ...(startSignal ? { signal: startSignal } : {}),
        }));
      const first = await startPostgres(signal);
      supervisor.supervise(
        "postgres",
        first.process,
        async (restartSignal) => (await startPostgres(restartSignal)).process,
      );
      adminDatabaseUrl = first.adminUrl;
    }
    throwIfAborted(signal, "starting Postgres");

    let natsUrl: string;
    if (externalNats) {
      natsUrl = externalNats;
      info(`using the NATS server at NATS_URL`);
      await checkNatsReachable(natsUrl);
    } else {
      info(`starting nats-server on 127.0.0.1:${ports.nats}`);
      // Same port and JetStream store on a restart: clients reconnect and nothing stored is lost.
      const startOwnNats = async (startSignal: AbortSignal | undefined): Promise<RunningNats> =>
        (nats = await startNats({
          port: ports.nats,
          storeDir: join(dataDir, "nats"),
          log,
          ...(options.natsMonitorPort !== undefined ? { monitorPort: options.natsMonitorPort } : {}),
          ...(startSignal ? { signal: startSignal } : {}),
        }));
      const first = await startOwnNats(signal);
      supervisor.supervise("nats", first.process, async (restartSignal) => (await startOwnNats(restartSignal)).process);
      natsUrl = first.url;
    }
    throwIfAborted(signal, "starting NATS");

    const { serviceDatabaseUrls, seeded } =
      buildDir === undefined
        ? await prepareDatabase(
            options.database ?? (await loadDatabaseOps()),
            adminDatabaseUrl,
            secrets.servicePasswords,
            log,
          )
        : await prepareBuiltDatabase(buildDir, adminDatabaseUrl, secrets.servicePasswords, log);
    throwIfAborted(signal, "preparing the database");

    const servicePorts: Record<ServiceId, number> = {
      gateway: ports.gateway,
      users: ports.users,
      dispensers: ports.dispensers,
      requests: ports.requests,
      reports: ports.reports,
    };
    const ctx: ServiceEnvContext = {
      host,
      ports: servicePorts,
      serviceDatabaseUrls,
      natsUrl,
      nodeEnv: options.nodeEnv ?? process.env.NODE_ENV ?? "development",
      logLevel: options.logLevel ?? process.env.LOG_LEVEL ?? "info",
      supergraphPath: resolve(options.supergraphPath ?? join(buildDir ?? repoRoot, serviceRegistry.gateway.schemaPath)),
      keysDir: join(dataDir, "keys"),
      metricsToken: randomBytes(24).toString("base64url"),
    };
    const healthUrls = {} as Record<ServiceId, string>;
    for (const id of [...subgraphIds, "gateway"] as const)
      healthUrls[id] = `${httpBase(host, servicePorts[id])}/health`;

    // A build runs as the image runs it: source maps instead of a TypeScript loader.
    const loader = buildDir === undefined ? ["--import", tsxImport()] : ["--enable-source-maps"];
    const launch = async (id: ServiceId, launchSignal: AbortSignal | undefined): Promise<ManagedProcess> => {
      const proc = spawnManaged({
        name: id,
        command: process.execPath,
        args: [...serviceNodeFlags, ...loader, entries[id]],
        cwd: buildDir ?? serviceDir(id),
        env: serviceEnv(id, ctx, options.env?.[id]),
        log,
      });
      services.set(id, proc);
      try {
        await waitForHttp(healthUrls[id], {
          name: id,
          process: proc,
          timeoutMs: options.healthTimeoutMs ?? 120_000,
          ...(launchSignal ? { signal: launchSignal } : {}),
        });
      } catch (error) {
        await proc.stop({ timeoutMs: stopTimeoutMs });
        throw error;
      }
      return proc;
    };
    const start = async (id: ServiceId): Promise<void> => {
      supervisor.supervise(id, await launch(id, signal), (restartSignal) => launch(id, restartSignal));
      info(`${id} is up on ${httpBase(host, servicePorts[id])}`);
    };

    info("starting subgraphs");
    const launched = await Promise.allSettled(subgraphIds.map(start));
    const failed = launched.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
    info("starting gateway");
    await start("gateway");

    const subgraphUrls = {} as Record<ServiceName, string>;
    for (const id of subgraphIds) subgraphUrls[id] = subgraphUrl(ctx, id);

    return {
      gatewayUrl: `${httpBase(host, servicePorts.gateway)}/graphql`,
      subgraphUrls,
      healthUrls,
      ports: servicePorts,
      adminDatabaseUrl,
      serviceDatabaseUrls,
      natsUrl,
      dataDir,
      keysDir: ctx.keysDir,
      metricsToken: ctx.metricsToken,
      seeded,
      postgresInitialised: postgres?.initialised ?? false,
      get processes() {
        const current: Stack["processes"] = Object.fromEntries(services);
        if (postgres) current.postgres = postgres.process;
        if (nats) current.nats = nats.process;
        return current;
      },
      stop,
    };
  } catch (error) {
    log("stack", "startup failed, stopping what was started", "stderr");
    await stop();
    throw error;
  }
}
