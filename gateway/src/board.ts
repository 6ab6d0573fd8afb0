/**
 * The reference ward board (gateway/board, built by Vite into its dist/), served under /board/:
 * index.html at /board/ and its hashed files under /board/assets/. Like the explorer it loads
 * nothing from another host and talks only to this gateway (same origin, through @asky/client),
 * so a strict Content-Security-Policy holds: no inline script or style, no workers.
 */
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
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

/** Must match `base` in gateway/board/vite.config.ts. */
export const BOARD_PREFIX = "/board/";
export const defaultBoardDist = fileURLToPath(new URL("../board/dist", import.meta.url));

/**
 * Same host only, stricter than the explorer's: the board's CSS is a file and it runs no
 * workers. WebSockets to the page's own host are spelled out for browsers whose 'self' does
 * not cover ws:/wss: yet; SSE and HTTP are 'self'.
 */
export function boardContentSecurityPolicy(host: string | undefined): string {
  const sockets = sameHostSockets(host);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function headers(req: IncomingMessage, csp = boardContentSecurityPolicy(req.headers.host)): Record<string, string> {
  return securityHeaders(csp);
}

function plain(req: IncomingMessage, res: ServerResponse, status: number, text: string, extra = {}): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    ...extra,
    ...headers(req, "default-src 'none'; frame-ancestors 'none'"),
  });
  res.end(req.method === "HEAD" ? undefined : text);
}

const notBuilt = (distDir: string) => `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Asky · painel não compilado</title></head>
<body><h1>O painel da ala não foi compilado</h1>
<p>Compile-o na raiz do repositório com <code>npm run build -w @asky/board</code> e recarregue a página
(<code>npm start</code> faz isso sozinho). Pasta esperada: <code>${escapeHtml(distDir)}</code>.</p>
</body></html>
`;

/** The file under distDir a request URL names (fileUnder); /board/ itself names index.html. */
export function boardFileFor(distDir: string, requestUrl: string): string | undefined {
  return fileUnder(distDir, BOARD_PREFIX, requestUrl, "index.html");
}

export interface BoardRoutes {
  /** For startHttpHost's `routes`: /board without its slash goes to /board/. */
  routes: Record<string, RouteHandler>;
  /** For startHttpHost's `prefixRoutes`: the page and its files. */
  prefixRoutes: Record<string, RouteHandler>;
}

export function boardRoutes(distDir: string = defaultBoardDist): BoardRoutes {
  const redirect: RouteHandler = (req, res) => {
    const { search } = new URL(req.url ?? "/", "http://localhost");
    res.writeHead(308, { location: `${BOARD_PREFIX}${search}`, ...headers(req, "default-src 'none'") });
    res.end();
  };

  const files: RouteHandler = async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD")
      return plain(req, res, 405, "Method not allowed\n", { allow: "GET, HEAD" });
    const file = boardFileFor(distDir, req.url ?? "/");
    const contentType = file ? contentTypes[extname(file).toLowerCase()] : undefined;
    const size = file && contentType ? await fileSize(file) : undefined;
    const index = file === join(resolve(distDir), "index.html");
    if (index && size === undefined) {
      res.writeHead(503, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        ...headers(req, "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
      });
      res.end(req.method === "HEAD" ? undefined : notBuilt(distDir));
      return;
    }
    if (!file || !contentType || size === undefined) return plain(req, res, 404, "Not found\n");
    res.writeHead(200, {
      "content-type": contentType,
      "content-length": String(size),
      // The page revalidates (a rebuild names other assets); Vite names assets by content hash.
      "cache-control": index ? "no-cache" : file.includes(`${sep}assets${sep}`) ? IMMUTABLE : "public, max-age=3600",
      ...headers(req),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res).catch((error: unknown) => {
      // The client went away or a rebuild removed the file mid-way: headers are out, drop the socket.
      if (!res.destroyed) res.destroy(error instanceof Error ? error : undefined);
    });
  };

  return { routes: { [BOARD_PREFIX.slice(0, -1)]: redirect }, prefixRoutes: { [BOARD_PREFIX]: files } };
}
