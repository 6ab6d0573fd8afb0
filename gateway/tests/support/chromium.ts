/**
 * Debian's Chromium for the browser tests (explorer, ward board), headless through
 * playwright-core: installed with apt-get when missing and the tests run as root; otherwise
 * the tests skip with the reason.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";

const run = promisify(execFile);

export const CHROMIUM = "/usr/bin/chromium";
/** Chromium on this closed network, headless, as root. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Installs Debian's chromium when missing (root only); the reason it cannot, or null. */
export async function ensureChromium(): Promise<string | null> {
  if (existsSync(CHROMIUM)) return null;
  if (process.getuid?.() !== 0)
    return `${CHROMIUM} is missing and installing it needs root (apt-get install -y chromium)`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => run("apt-get", ["install", "-y", "-q", "chromium"], { env, maxBuffer: 64 * 1024 * 1024 });
  try {
    await install();
  } catch {
    try {
      await run("apt-get", ["update", "-q"], { env, maxBuffer: 64 * 1024 * 1024 });
      await install();
    } catch (error) {
      return `apt-get install -y chromium failed: ${(error as Error).message.split("\n")[0]}`;
    }
  }
  return existsSync(CHROMIUM) ? null : `apt-get install chromium did not provide ${CHROMIUM}`;
}

/** A headless Chromium, or why there is none (the test then skips with that reason). */
export async function launchChromium(): Promise<{ browser: Browser } | { unavailable: string }> {
  const unavailable = await ensureChromium();
  if (unavailable) return { unavailable };
  return { browser: await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }) };
}
