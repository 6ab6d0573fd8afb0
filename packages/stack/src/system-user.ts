import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { StackError } from "./errors.js";
import type { LogSink } from "./log.js";

const run = promisify(execFile);

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** uid/gid of an OS user, or undefined if there is no such user. */
export async function lookupUser(name: string): Promise<SystemUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { name, uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

/**
 * Makes sure an unprivileged system user exists (Postgres refuses to run as root).
 * Only meaningful as root; creates the user with `useradd --system` when missing.
 */
export async function ensureSystemUser(name: string, log: LogSink): Promise<SystemUser> {
  const existing = await lookupUser(name);
  if (existing) return existing;
  if (!isRoot()) {
    throw new StackError(`The OS user "${name}" does not exist and only root can create it.`);
  }
  log("stack", `creating system user "${name}" (Postgres cannot run as root)`, "stdout");
  try {
    await run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name]);
  } catch (error) {
    throw new StackError(
      `Could not create the system user "${name}" with useradd (${(error as Error).message.trim()}). ` +
        `Create it yourself (e.g. \`useradd --system ${name}\`), run as a non-root user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const created = await lookupUser(name);
  if (!created) throw new StackError(`useradd reported success but the user "${name}" is not visible.`);
  return created;
}
