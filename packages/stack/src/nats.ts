import { accessSync, constants } from "node:fs";
import { mkdir } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { StackError } from "./errors.js";
import type { LogSink } from "./log.js";
import { describeExit, spawnManaged, type ManagedProcess } from "./processes.js";
import { isRoot } from "./system-user.js";
import { canConnect, logTail, waitForTcp } from "./wait.js";

export interface NatsOptions {
  port: number;
  /** JetStream store directory (kept across starts). */
  storeDir: string;
  log: LogSink;
  host?: string;
  /** Monitoring HTTP port; off when undefined. */
  monitorPort?: number;
  /** Install nats-server with apt-get when missing and running as root. Default true. */
  autoInstall?: boolean;
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunningNats {
  url: string;
  process: ManagedProcess;
  stop(timeoutMs?: number): Promise<void>;
}

const INSTALL_HELP =
  "nats-server (2.9 or newer) is required and was not found on PATH. Install it:\n" +
  "  Debian/Ubuntu:  sudo apt-get install nats-server\n" +
  "  macOS:          brew install nats-server\n" +
  "  any platform:   https://github.com/nats-io/nats-server/releases (put the binary on PATH)\n" +
  "or set NATS_SERVER_BIN to its path, or NATS_URL to a running server with JetStream enabled (-js).";

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** NATS_SERVER_BIN, else the first `nats-server` on PATH (plus the sbin folders Debian uses). */
export function findNatsServer(): string | undefined {
  const explicit = process.env.NATS_SERVER_BIN;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/sbin", "/usr/sbin", "/sbin"];
  const name = process.platform === "win32" ? "nats-server.exe" : "nats-server";
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function hasAptGet(): boolean {
  return ["/usr/bin/apt-get", "/bin/apt-get"].some(isExecutable);
}

async function runLogged(name: string, command: string, args: string[], log: LogSink): Promise<void> {
  const proc = spawnManaged({
    name,
    command,
    args,
    log,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const exit = await proc.exited;
  if (exit.code !== 0) throw new StackError(`\`${command} ${args.join(" ")}\` ${describeExit(exit)}.${logTail(proc)}`);
}

/** Finds nats-server, installing it with apt-get when we are root on a Debian-like system. */
export async function ensureNatsServer(log: LogSink, autoInstall = true): Promise<string> {
  const found = findNatsServer();
  if (found) return found;
  if (process.env.NATS_SERVER_BIN) {
    throw new StackError(`NATS_SERVER_BIN=${process.env.NATS_SERVER_BIN} is not an executable file.`);
  }
  if (!autoInstall || !isRoot() || !hasAptGet()) throw new StackError(INSTALL_HELP);
  log("stack", "nats-server not found: installing it with apt-get (root, Debian-like system)", "stdout");
  const lockWait = ["-o", "DPkg::Lock::Timeout=120"];
  try {
    await runLogged("apt", "apt-get", [...lockWait, "update"], log);
    await runLogged("apt", "apt-get", [...lockWait, "install", "-y", "--no-install-recommends", "nats-server"], log);
  } catch (error) {
    throw new StackError(`Installing nats-server failed: ${(error as Error).message}\n${INSTALL_HELP}`, {
      cause: error,
    });
  }
  const installed = findNatsServer();
  if (!installed) throw new StackError(`apt-get installed nats-server but it is not on PATH.\n${INSTALL_HELP}`);
  return installed;
}

/** Starts `nats-server -js` on 127.0.0.1 and waits until it accepts connections. */
export async function startNats(options: NatsOptions): Promise<RunningNats> {
  const host = options.host ?? "127.0.0.1";
  const binary = await ensureNatsServer(options.log, options.autoInstall ?? true);
  await mkdir(options.storeDir, { recursive: true });
  const args = ["-js", "-sd", options.storeDir, "-p", String(options.port), "-a", host, "-n", "asky-dev"];
  if (options.monitorPort !== undefined) args.push("-m", String(options.monitorPort));
  const proc = spawnManaged({ name: "nats", command: binary, args, log: options.log, stopSignal: "SIGTERM" });
  const stop = async (timeoutMs = 10_000): Promise<void> => {
    await proc.stop({ timeoutMs });
  };
  try {
    await waitForTcp(host, options.port, {
      name: "nats",
      process: proc,
      timeoutMs: options.startTimeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://${host}:${options.port}`, process: proc, stop };
}

/**
 * Fails clearly when an external NATS_URL does not accept connections. A list (members of one
 * cluster, comma-separated, as the services take it) is reachable when any member is: the
 * services connect to whichever answers, so one member down must not stop a start.
 */
export async function checkNatsReachable(url: string): Promise<void> {
  const members = url
    .split(",")
    .map((member) => member.trim())
    .filter((member) => member !== "");
  const failures: string[] = [];
  for (const member of members) {
    try {
      const parsed = new URL(member.includes("://") ? member : `nats://${member}`);
      await canConnect(parsed.hostname, Number(parsed.port || 4222), 5_000);
      return;
    } catch (error) {
      failures.push(`${member}: ${(error as Error).message}`);
    }
  }
  throw new StackError(`NATS_URL ${url} does not accept connections (${failures.join("; ") || "no server listed"}).`);
}
