#!/usr/bin/env node
// `npm start` / `npm test` entry point. Plain Node with no dependencies: it runs before
// node_modules exists. Installs dependencies when needed, then starts the stack or runs the
// checks, or the benchmarks. Usage: node scripts/bootstrap.mjs start|test|bench [args...]
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const isWindows = process.platform === "win32";
const nodeModules = join(root, "node_modules");
const lockfile = join(root, "package-lock.json");
const stampFile = join(nodeModules, ".asky-install-stamp");

function say(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

/** Runs a command with inherited stdio; resolves to its exit code, forwarding our signals. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", shell: isWindows, ...options });
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const signal of signals) process.on(signal, forward);
    const done = (code) => {
      for (const signal of signals) process.off(signal, forward);
      resolve(code);
    };
    child.once("error", (error) => {
      say(`could not run ${command}: ${error.message}`);
      done(127);
    });
    child.once("exit", (code, signal) => done(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1)));
  });
}

/**
 * The Node release every command runs on: the `node` package pinned in package.json, which npm
 * installs like any dependency (a platform binary in node_modules/.bin). The machine's own Node
 * only runs this script far enough to install it.
 */
const pinnedNodeVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies?.node;
/** Where a fresh clone gets the pinned Node before anything else is installed, outside node_modules. */
const pinnedNodePrefix = join(root, ".asky", "node", String(pinnedNodeVersion));
const binName = isWindows ? "node.cmd" : "node";

function fingerprint() {
  const source = existsSync(lockfile) ? lockfile : join(root, "package.json");
  // The pinned version, not this process's: the install is the same whichever Node ran npm.
  const hash = createHash("sha256").update(readFileSync(source)).update(String(pinnedNodeVersion));
  return `${source === lockfile ? "lock" : "manifest"}:${hash.digest("hex")}`;
}

function installIsCurrent(expected) {
  if (!existsSync(nodeModules)) return false;
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === expected) return true;
  // Installed by hand since our last install (e.g. `npm install some-package`): npm's own hidden
  // lockfile newer than package-lock.json means npm installed from this very lockfile. Adopt it.
  const hidden = join(nodeModules, ".package-lock.json");
  if (existsSync(lockfile) && existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(lockfile).mtimeMs) {
    writeFileSync(stampFile, `${expected}\n`);
    return true;
  }
  return false;
}

async function ensureDependencies() {
  const expected = fingerprint();
  if (installIsCurrent(expected)) return;
  const npm = isWindows ? "npm.cmd" : "npm";
  const args = existsSync(lockfile) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"];
  say(`installing dependencies: npm ${args.join(" ")}`);
  const code = await run(npm, args);
  if (code !== 0) {
    say(`npm ${args[0]} failed (exit code ${code})`);
    process.exit(code);
  }
  mkdirSync(nodeModules, { recursive: true });
  writeFileSync(stampFile, `${fingerprint()}\n`);
}

/**
 * Builds the browser explorer (gateway/explorer → dist/, served by the gateway at GET /graphql)
 * when dist/ is missing or was built from other sources (content hash in dist/.source-hash).
 * A few seconds with Vite. Returns false when the build failed.
 */
async function ensureExplorer() {
  const hashModule = join(root, "gateway", "explorer", "source-hash.mjs");
  if (!existsSync(hashModule)) return true;
  const { explorerBuildIsCurrent } = await import(pathToFileURL(hashModule).href);
  if (explorerBuildIsCurrent()) return true;
  say("building the GraphQL explorer: npm run build -w @asky/explorer");
  const started = Date.now();
  const code = await run(isWindows ? "npm.cmd" : "npm", [
    "run",
    "build",
    "-w",
    "@asky/explorer",
    "--",
    "--logLevel",
    "warn",
  ]);
  if (code !== 0) {
    say(`explorer build failed (exit code ${code}); the gateway answers browsers at /graphql with how to build it`);
    return false;
  }
  say(`explorer built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * Builds the reference ward board (gateway/board → dist/, served by the gateway at /board/) when
 * dist/ is missing or was built from other sources: its own or the SDK's (dist/.source-hash).
 * A second or two with Vite. Returns false when the build failed.
 */
async function ensureBoard() {
  const hashModule = join(root, "gateway", "board", "source-hash.mjs");
  if (!existsSync(hashModule)) return true;
  const { boardBuildIsCurrent } = await import(pathToFileURL(hashModule).href);
  if (boardBuildIsCurrent()) return true;
  say("building the ward board: npm run build -w @asky/board");
  const started = Date.now();
  const code = await run(isWindows ? "npm.cmd" : "npm", [
    "run",
    "build",
    "-w",
    "@asky/board",
    "--",
    "--logLevel",
    "warn",
  ]);
  if (code !== 0) {
    say(`ward board build failed (exit code ${code}); the gateway answers /board/ with how to build it`);
    return false;
  }
  say(`ward board built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * The benchmark's peer gateway and load generator (~770 packages) have their own lockfile in
 * bench/tools, installed here on the first `npm run bench` and again when that lockfile
 * changes, never by `npm start` or `npm test`.
 */
async function ensureBenchTools() {
  const dir = join(root, "bench", "tools");
  const stamp = join(dir, "node_modules", ".asky-install-stamp");
  const expected = createHash("sha256")
    .update(readFileSync(join(dir, "package-lock.json")))
    .digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === expected) return;
  say("installing the benchmark's tools: npm ci --prefix bench/tools");
  const code = await run(isWindows ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund", "--prefix", dir]);
  if (code !== 0) {
    say(`npm ci --prefix bench/tools failed (exit code ${code})`);
    process.exit(code);
  }
  writeFileSync(stamp, `${expected}\n`);
}

function bin(name) {
  return join(nodeModules, ".bin", isWindows ? `${name}.cmd` : name);
}

/**
 * Runs this script again on the pinned Node, with its folder and node_modules/.bin first in PATH
 * so that every tool started from here (npm itself, turbo, tsc, eslint, vitest, and through them
 * the services) runs on it too. On a fresh clone the pinned Node is installed first, alone, into
 * .asky/node: npm must not install the project's dependencies on a Node their engines refuse.
 */
async function rerunOnPinnedNode(command, rest) {
  const installed = [join(nodeModules, ".bin", binName), join(pinnedNodePrefix, "node_modules", ".bin", binName)];
  let pinnedNode = installed.find((path) => existsSync(path));
  if (process.env.ASKY_PINNED_NODE === "1") {
    say(`Node ${pinnedNodeVersion} is pinned, but this is ${process.version}`);
    process.exit(1);
  }
  if (!pinnedNode) {
    say(`installing Node ${pinnedNodeVersion} from the npm registry (this machine has ${process.version})`);
    mkdirSync(pinnedNodePrefix, { recursive: true });
    // The `node` package installs its binary from a preinstall script; npm 12 runs a dependency's
    // install scripts only when the installing project's allowScripts lists it.
    const manifest = { private: true, allowScripts: { node: true } };
    writeFileSync(join(pinnedNodePrefix, "package.json"), `${JSON.stringify(manifest)}\n`);
    const args = ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", pinnedNodePrefix];
    const code = await run(isWindows ? "npm.cmd" : "npm", [...args, `node@${pinnedNodeVersion}`]);
    pinnedNode = installed[1];
    if (code !== 0 || !existsSync(pinnedNode)) {
      say(`could not install Node ${pinnedNodeVersion} (npm exit code ${code})`);
      process.exit(code || 1);
    }
  }
  const separator = isWindows ? ";" : ":";
  const path = [dirname(pinnedNode), join(nodeModules, ".bin"), process.env.PATH ?? ""].join(separator);
  const env = { ...process.env, ASKY_PINNED_NODE: "1", PATH: path };
  process.exit(await run(pinnedNode, [fileURLToPath(import.meta.url), command, ...rest], { env }));
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== "start" && command !== "test" && command !== "bench") {
    say("usage: node scripts/bootstrap.mjs start|test|bench [args...]");
    process.exit(2);
  }
  if (pinnedNodeVersion && process.version !== `v${pinnedNodeVersion}`) await rerunOnPinnedNode(command, rest);
  await ensureDependencies();
  const explorerBuilt = await ensureExplorer();
  const boardBuilt = await ensureBoard();

  if (command === "start") {
    process.exit(await run(process.execPath, ["--import", "tsx", join(root, "scripts", "start.ts"), ...rest]));
  }

  if (command === "bench") {
    await ensureBenchTools();
    // bench/src/run.ts boots its own stack on free ports; see bench/RESULTS.md for the output.
    process.exit(await run(process.execPath, ["--import", "tsx", join(root, "bench", "src", "run.ts"), ...rest]));
  }

  if (!explorerBuilt || !boardBuilt) process.exit(1);
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
  const steps = [
    ["type-checking the workspaces (turbo run typecheck)", bin("turbo"), ["run", "typecheck"]],
    ["type-checking scripts and root tests (tsc -p tsconfig.json)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
    ["linting (eslint)", bin("eslint"), ["--max-warnings", "0", "."]],
    ["checking formatting (prettier --check)", bin("prettier"), ["--check", "."]],
    // One run, one summary line: the unit project's files run before the integration project's.
    ["running the test suite (vitest run)", bin("vitest"), ["run", ...rest]],
  ];
  for (const [title, file, args] of steps) {
    say(title);
    const code = await run(file, args, { env });
    if (code !== 0) {
      say(`failed: ${title} (exit code ${code})`);
      process.exit(code);
    }
  }
}

await main();
