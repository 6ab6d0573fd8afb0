/**
 * What the gateway's two built pages (the explorer, explorer.ts, and the ward board, board.ts)
 * share: the files they may serve, how a URL names one without leaving its dist folder, and
 * the security headers every answer of theirs carries. Each page keeps its own CSP.
 */
import { stat } from "node:fs/promises";
import { resolve, sep } from "node:path";

export const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

/** For files Vite names by content hash: they never change under the same name. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const plainHost = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * ` ws://host wss://host` for a CSP's connect-src, spelled out for browsers whose 'self' does
 * not cover ws:/wss: yet; nothing when the Host header is not a plain host (never echo it).
 */
export function sameHostSockets(host: string | undefined): string {
  return host && plainHost.test(host) ? ` ws://${host} wss://${host}` : "";
}

export function securityHeaders(csp: string): Record<string, string> {
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The size of a plain file, or undefined when there is none at `path`. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * The file under distDir a request URL names below `prefix`, or undefined when it is not a
 * plain file name inside distDir: no "..", no encoded slashes or backslashes, no dotfiles
 * (dist/.source-hash). The prefix itself names `emptyAs` when given, else nothing.
 */
export function fileUnder(distDir: string, prefix: string, requestUrl: string, emptyAs?: string): string | undefined {
  const { pathname } = new URL(requestUrl, "http://localhost");
  if (!pathname.startsWith(prefix)) return undefined;
  let relativePath: string;
  try {
    relativePath = decodeURIComponent(pathname.slice(prefix.length)) || (emptyAs ?? "");
  } catch {
    return undefined;
  }
  const segments = relativePath.split("/");
  if (!relativePath || segments.some((segment) => !segment || segment.startsWith(".") || /[\\\0:]/.test(segment)))
    return undefined;
  const root = resolve(distDir);
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) ? file : undefined;
}
