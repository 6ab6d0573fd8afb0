/**
 * The self-hosted GraphiQL explorer (gateway/explorer, built by Vite into its dist/): its
 * index.html is the landing page a browser gets at GET /graphql, and its files are served
 * under /explorer/. Nothing is loaded from another host, so it works on closed hospital
 * networks; a strict Content-Security-Policy keeps it that way.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { RouteHandler } from "@asky/runtime";

/** Must match `base` in gateway/explorer/vite.config.ts. */
export const EXPLORER_PREFIX = "/explorer/";
export const defaultExplorerDist = fileURLToPath(new URL("../explorer/dist", import.meta.url));

const contentTypes: Readonly<Record<string, string>> = {
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
/** Files Vite names by content hash: they never change under the same name. */
const hashedAssets = `${EXPLORER_PREFIX}assets/`;
const IMMUTABLE = "public, max-age=31536000, immutable";
const plainHost = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Same host only. Monaco injects <style> elements (style-src 'unsafe-inline') and GraphiQL's
 * CSS embeds its icon font and images as data: URLs. WebSockets to the page's own host are
 * spelled out for browsers whose 'self' does not cover ws:/wss: yet.
 */
export function explorerContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && plainHost.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function securityHeaders(
  req: IncomingMessage,
  csp = explorerContentSecurityPolicy(req.headers.host),
): Record<string, string> {
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
  };
}

function missingBuildPage(distDir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Asky · explorer not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .25rem}</style></head>
<body><h1>The GraphQL explorer is not built</h1>
<p>This gateway serves GraphQL here (POST, or GET with <code>?query=</code>), but the browser explorer has no build in
<code>${escapeHtml(distDir)}</code>.</p>
<p>Build it from the repository root with <code>npm run build -w @asky/explorer</code> (a few seconds), then reload.
<code>npm start</code> builds it automatically.</p></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers["accept-encoding"];
  if (typeof accept !== "string") return false;
  return accept.split(",").some((entry) => {
    const [coding = "", ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    return coding === "gzip" && (q === undefined || Number(q.slice(2)) > 0);
  });
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR")
      return undefined;
    throw error;
  }
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...securityHeaders(req, "default-src 'none'") });
  res.end("Not found\n");
}

/**
 * The path under distDir that a request URL names, or undefined when it is not a plain
 * file name inside distDir: no "..", no encoded slashes or backslashes, no dotfiles.
 */
export function explorerFileFor(distDir: string, requestUrl: string): string | undefined {
  const { pathname } = new URL(requestUrl, "http://localhost");
  if (!pathname.startsWith(EXPLORER_PREFIX)) return undefined;
  let relativePath: string;
  try {
    relativePath = decodeURIComponent(pathname.slice(EXPLORER_PREFIX.length));
  } catch {
    return undefined;
  }
  const segments = relativePath.split("/");
  if (!relativePath || segments.some((segment) => !segment || segment.startsWith(".") || /[\\\0:]/.test(segment)))
    return undefined;
  const root = resolve(distDir);
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) && file !== join(root, "index.html") ? file : undefined;
}

export interface ExplorerRoutes {
  /** For startHttpHost's `landingPage`: index.html, or how to build it. */
  landingPage: RouteHandler;
  /** For startHttpHost's `prefixRoutes`: the built files. */
  prefixRoutes: Record<string, RouteHandler>;
}

export function explorerRoutes(distDir: string = defaultExplorerDist): ExplorerRoutes {
  const landingPage: RouteHandler = async (req, res) => {
    let html: string;
    try {
      html = await readFile(join(distDir, "index.html"), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      res.writeHead(503, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        vary: "accept",
        ...securityHeaders(
          req,
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
        ),
      });
      res.end(req.method === "HEAD" ? undefined : missingBuildPage(distDir));
      return;
    }
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      // Revalidate: a rebuild changes which hashed assets the page names.
      "cache-control": "no-cache",
      // The same URL answers JSON to GraphQL clients.
      vary: "accept",
      "content-length": String(Buffer.byteLength(html)),
      ...securityHeaders(req),
    });
    res.end(req.method === "HEAD" ? undefined : html);
  };

  const assets: RouteHandler = async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, {
        allow: "GET, HEAD",
        "content-type": "text/plain; charset=utf-8",
        ...securityHeaders(req, "default-src 'none'"),
      });
      res.end("Method not allowed\n");
      return;
    }
    const file = explorerFileFor(distDir, req.url ?? "/");
    const contentType = file ? contentTypes[extname(file).toLowerCase()] : undefined;
    const size = file && contentType ? await fileSize(file) : undefined;
    if (!file || !contentType || size === undefined) return notFound(req, res);

    const gzipped = acceptsGzip(req) ? await fileSize(`${file}.gz`) : undefined;
    const immutable = new URL(req.url ?? "/", "http://localhost").pathname.startsWith(hashedAssets);
    res.writeHead(200, {
      "content-type": contentType,
      "content-length": String(gzipped ?? size),
      "cache-control": immutable ? IMMUTABLE : "public, max-age=3600",
      vary: "accept-encoding",
      ...(gzipped === undefined ? {} : { "content-encoding": "gzip" }),
      ...securityHeaders(req),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    await pipeline(createReadStream(gzipped === undefined ? file : `${file}.gz`), res).catch((error: unknown) => {
      // The client went away or the file vanished mid-way (a rebuild): headers are out, so just drop the socket.
      if (!res.destroyed) res.destroy(error instanceof Error ? error : undefined);
    });
  };

  return { landingPage, prefixRoutes: { [EXPLORER_PREFIX]: assets } };
}
