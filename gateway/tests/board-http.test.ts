/**
 * The ward board as the gateway serves it: /board redirects to /board/, the page and every
 * file it names come from the gateway with a same-host CSP stricter than the explorer's, the
 * build names no other host, and nothing outside dist/ (or its dotfiles) is reachable.
 */
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";
import { distDir } from "@asky/board/source-hash";
import { BOARD_PREFIX, boardFileFor } from "../src/board.js";
import { ensureBoardBuilt } from "./support/board-build.js";

const stack = testStack();
const origin = new URL(stack.gatewayUrl).origin;

beforeAll(ensureBoardBuilt, 180_000);

/** A raw request, so that "..", "%2e%2e" and backslashes reach the server as sent. */
function raw(
  path: string,
  method = "GET",
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(stack.gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("ward board over HTTP", () => {
  it("redirects /board to /board/, keeping the query", async () => {
    const response = await raw("/board?x=1");
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe("/board/?x=1");
  });

  it("serves the page with a same-host CSP and every file it names", async () => {
    const response = await fetch(`${origin}${BOARD_PREFIX}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/\S+ wss:\/\/\S+/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toMatch(/https?:/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    expect(html).toContain('lang="pt-BR"');
    const named = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const path of named) {
      expect(path.startsWith(`${BOARD_PREFIX}assets/`), path).toBe(true);
      const file = await fetch(`${origin}${path}`);
      expect(file.status, path).toBe(200);
      expect(file.headers.get("cache-control")).toContain("immutable");
      expect(file.headers.get("content-type")).toMatch(/^text\/(?:javascript|css)/);
    }
  });

  it("names no other host anywhere in the build", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
      );
    for (const file of files(distDir).filter((path) => /\.(?:js|css|html)$/.test(path))) {
      const text = readFileSync(file, "utf8");
      // Script and style sources would be absolute URLs; XML namespaces are not fetched.
      const urls = [...text.matchAll(/\b(?:https?|wss?):\/\/[^\s"'`)]+/g)].map((match) => match[0]);
      expect(
        urls.filter((url) => !url.startsWith("http://www.w3.org/")),
        file,
      ).toEqual([]);
    }
  });

  it("refuses paths outside dist/, dotfiles and other methods", async () => {
    for (const path of [
      "/board/../package.json",
      "/board/%2e%2e/package.json",
      "/board/..%2fpackage.json",
      "/board/assets/..%5c..%5cpackage.json",
      "/board/.source-hash",
      "/board/assets//x.js",
      "/board/missing.js",
    ]) {
      expect((await raw(path)).status, path).toBe(404);
    }
    const post = await raw("/board/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect(boardFileFor(distDir, "/board/")).toBe(join(distDir, "index.html"));
    expect(boardFileFor(distDir, "/board/%00")).toBeUndefined();
    expect(boardFileFor(distDir, "/explorer/index.html")).toBeUndefined();
  });
});
