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

function fingerprint() {
  const source = existsSync(lockfile) ? lockfile : join(root, "package.json");
  const hash = createHash("sha256").update(readFileSync(source)).update(process.version.split(".")[0]);
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

function bin(name) {
  return join(nodeModules, ".bin", isWindows ? `${name}.cmd` : name);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== "start" && command !== "test" && command !== "bench") {
    say("usage: node scripts/bootstrap.mjs start|test|bench [args...]");
    process.exit(2);
  }
  await ensureDependencies();
  const explorerBuilt = await ensureExplorer();

  if (command === "start") {
    process.exit(await run(process.execPath, ["--import", "tsx", join(root, "scripts", "start.ts"), ...rest]));
  }

  if (command === "bench") {
    // bench/src/run.ts boots its own stack on free ports; see bench/RESULTS.md for the output.
    process.exit(await run(process.execPath, ["--import", "tsx", join(root, "bench", "src", "run.ts"), ...rest]));
  }

  if (!explorerBuilt) process.exit(1);
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
