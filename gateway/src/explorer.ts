/**
 * The self-hosted GraphiQL explorer (gateway/explorer, built by Vite into its dist/): its
 * index.html is the landing page a browser gets at GET /graphql, and its files are served
 * under /explorer/. Nothing is loaded from another host, so it works on closed hospital
 * networks; a strict Content-Security-Policy keeps it that way.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { RouteHandler } from "@asky/runtime";
import {
  contentTypes,
  escapeHtml,
  fileSize,
  fileUnder,
  IMMUTABLE,
  sameHostSockets,
  securityHeaders,
} from "./static-site.js";

/** Must match `base` in gateway/explorer/vite.config.ts. */
export const EXPLORER_PREFIX = "/explorer/";
export const defaultExplorerDist = fileURLToPath(new URL("../explorer/dist", import.meta.url));

/** Files Vite names by content hash: they never change under the same name. */
const hashedAssets = `${EXPLORER_PREFIX}assets/`;

/**
 * Same host only. Monaco injects <style> elements (style-src 'unsafe-inline') and GraphiQL's
 * CSS embeds its icon font and images as data: URLs. WebSockets to the page's own host are
 * spelled out for browsers whose 'self' does not cover ws:/wss: yet.
 */
export function explorerContentSecurityPolicy(host: string | undefined): string {
  const sockets = sameHostSockets(host);
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

function headers(req: IncomingMessage, csp = explorerContentSecurityPolicy(req.headers.host)): Record<string, string> {
  return securityHeaders(csp);
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

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers["accept-encoding"];
  if (typeof accept !== "string") return false;
  return accept.split(",").some((entry) => {
    const [coding = "", ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    return coding === "gzip" && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...headers(req, "default-src 'none'") });
  res.end("Not found\n");
}

/** The file under distDir a request URL names (fileUnder), index.html aside: it is the landing page. */
export function explorerFileFor(distDir: string, requestUrl: string): string | undefined {
  const file = fileUnder(distDir, EXPLORER_PREFIX, requestUrl);
  return file === join(resolve(distDir), "index.html") ? undefined : file;
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
        ...headers(req, "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"),
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
      ...headers(req),
    });
    res.end(req.method === "HEAD" ? undefined : html);
  };

  const assets: RouteHandler = async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, {
        allow: "GET, HEAD",
        "content-type": "text/plain; charset=utf-8",
        ...headers(req, "default-src 'none'"),
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
      ...headers(req),
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
