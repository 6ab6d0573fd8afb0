import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { StackError } from "./errors.js";
import type { LogSink } from "./log.js";
import { defaultDataDir, repoRoot } from "./paths.js";

const EPHEMERAL_PREFIX = "asky-stack-";
const OWNER_FILE = ".owner-pid";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes throw-away data folders whose owning process is gone (a test run killed before
 * its teardown). Folders of live runs are left alone.
 */
async function sweepStaleEphemeralDirs(log: LogSink): Promise<void> {
  const base = tmpdir();
  const names = await readdir(base).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(EPHEMERAL_PREFIX))) {
    const dir = join(base, name);
    const owner = Number.parseInt(await readFile(join(dir, OWNER_FILE), "utf8").catch(() => ""), 10);
    if (!Number.isInteger(owner) || alive(owner)) continue;
    log("stack", `removing ${dir} (left behind by a run that was killed)`, "stdout");
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

function safeToDelete(dir: string): boolean {
  const abs = resolve(dir);
  return ![resolve("/"), resolve(homedir()), resolve(repoRoot), resolve(tmpdir())].includes(abs);
}

/**
 * The folder holding Postgres, NATS, keys and secrets: the one given, a fresh temporary one
 * for an ephemeral stack (deleted at stop), or `.data` in the repository.
 */
export async function prepareDataDir(options: { dataDir?: string; ephemeral: boolean }, log: LogSink): Promise<string> {
  let dataDir: string;
  if (options.dataDir) dataDir = resolve(options.dataDir);
  else if (options.ephemeral) {
    await sweepStaleEphemeralDirs(log);
    dataDir = await mkdtemp(join(tmpdir(), EPHEMERAL_PREFIX));
    await writeFile(join(dataDir, OWNER_FILE), `${process.pid}\n`);
    await chmod(dataDir, 0o755); // Postgres may run as another OS user (see postgres.ts)
  } else dataDir = defaultDataDir;
  if (options.ephemeral && !safeToDelete(dataDir))
    throw new StackError(`Refusing to use ${dataDir} as an ephemeral data folder.`);
  return dataDir;
}
