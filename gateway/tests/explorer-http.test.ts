/**
 * The self-hosted GraphiQL explorer at GET /graphql: served with a strict CSP, every file it
 * names served from the gateway itself, nothing in the build pointing a browser at another
 * host, and — in a real headless Chromium — a page that loads only from the gateway, signs
 * in, runs a query and (once the gateway speaks graphql-ws) a subscription.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "@asky/stack";
import { gql, testStack } from "@asky/stack/testing";
import { EXPLORER_PREFIX, explorerFileFor, explorerRoutes } from "../src/explorer.js";
import { distDir } from "@asky/explorer/source-hash";
import { ensureExplorerBuilt } from "./support/explorer-build.js";

const stack = testStack();

const expectedTypes: Record<string, RegExp> = {
  ".js": /^text\/javascript/,
  ".css": /^text\/css/,
  ".svg": /^image\/svg\+xml/,
  ".woff2": /^font\/woff2/,
  ".woff": /^font\/woff$/,
  ".ttf": /^font\/ttf/,
};

beforeAll(ensureExplorerBuilt, 180_000);

function referencedBy(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** A raw request, so that "..", "%2e%2e" and backslashes reach the server as sent. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(stack.gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("explorer over HTTP", () => {
  it("answers a browser's GET /graphql with the explorer page and a strict CSP", async () => {
    const response = await fetch(stack.gatewayUrl, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/\S+ wss:\/\/\S+/);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain('<div id="root">');
  });

  it("still answers GraphQL at the same URL", async () => {
    const post = await gql<{ __typename: string }>("{ __typename }");
    expect(post.body.data?.__typename).toBe("Query");
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent("{ __typename }")}`, {
      // A GET with a query is GraphQL even for a browser; Apollo's CSRF guard wants a preflight header.
      headers: { accept: "text/html, application/json", "apollo-require-preflight": "true" },
    });
    expect(await get.json()).toMatchObject({ data: { __typename: "Query" } });
  });

  it("serves every file index.html and its CSS name, with the right type and caching", async () => {
    const html = await (await fetch(stack.gatewayUrl, { headers: { accept: "text/html" } })).text();
    const queue = referencedBy(html);
    expect(queue.some((ref) => ref.endsWith(".js"))).toBe(true);
    expect(queue.some((ref) => ref.endsWith(".css"))).toBe(true);
    const seen = new Set<string>();
    while (queue.length) {
      const ref = queue.shift()!;
      if (seen.has(ref)) continue;
      seen.add(ref);
      expect(ref.startsWith(EXPLORER_PREFIX), `${ref} is served by the gateway`).toBe(true);
      const response = await fetch(new URL(ref, stack.gatewayUrl));
      expect(response.status, ref).toBe(200);
      expect(response.headers.get("content-type"), ref).toMatch(expectedTypes[extname(ref)] ?? /^$/);
      expect(response.headers.get("x-content-type-options"), ref).toBe("nosniff");
      if (ref.startsWith(`${EXPLORER_PREFIX}assets/`))
        expect(response.headers.get("cache-control"), ref).toContain("immutable");
      const body = await response.arrayBuffer();
      expect(body.byteLength, ref).toBeGreaterThan(0);
      if (ref.endsWith(".css")) {
        const css = new TextDecoder().decode(body);
        for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
          if (!match[1]!.startsWith("data:")) queue.push(match[1]!);
        }
      }
    }
    // Roboto/Fira Code and Monaco's icon font come from the gateway too.
    expect([...seen].filter((ref) => /\.(?:woff2?|ttf)$/.test(ref)).length).toBeGreaterThan(0);
  });

  it("serves the big bundles gzipped to clients that accept it", async () => {
    const html = await (await fetch(stack.gatewayUrl, { headers: { accept: "text/html" } })).text();
    const script = referencedBy(html).find((ref) => ref.endsWith(".js"))!;
    const gzipped = await fetch(new URL(script, stack.gatewayUrl), { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    const plain = await fetch(new URL(script, stack.gatewayUrl), { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await gzipped.text()).toBe(await plain.text());
  });

  it("serves nothing outside the build, whatever the path", async () => {
    const secret = readFileSync(join(repoRoot, "package.json"), "utf8");
    const attempts = [
      "/explorer/../package.json",
      "/explorer/assets/../../../../package.json",
      "/explorer/assets/..%2f..%2f..%2f..%2fpackage.json",
      "/explorer/%2e%2e/%2e%2e/%2e%2e/package.json",
      "/explorer/assets/..%5c..%5c..%5c..%5cpackage.json",
      "/explorer/..%252f..%252fpackage.json",
      "/explorer/.source-hash",
      "/explorer/assets/",
      "/explorer/",
      "/explorer/index.html",
      "/explorer/assets/%00.js",
      "/explorer/assets/%E0%A4%A.js",
    ];
    for (const path of attempts) {
      const { status, body } = await rawGet(path);
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
      expect(body, path).not.toContain(secret.slice(0, 40));
    }
    expect(explorerFileFor(distDir, "/explorer/assets/x.js")).toBe(join(distDir, "assets", "x.js"));
    expect(explorerFileFor(distDir, "/explorer/assets/..%2f..%2fx.js")).toBeUndefined();
    const post = await fetch(new URL("/explorer/favicon.svg", stack.gatewayUrl), { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("points a browser at no other host from any built file", () => {
    // Absolute URLs that may stay in the bundle because nothing ever loads them: XML/SVG
    // namespaces, JSON-Schema identifiers (Monaco's JSON worker has schema downloads off),
    // links a person may click (GraphiQL's help, Monaco's docs, graphiql-explorer's credit)
    // and addresses inside error messages and GraphQL spec descriptions. Any other host fails
    // this test, and so does any of these in HTML or CSS, where it would be a fetch.
    const inert = new Set([
      "www.w3.org",
      "json-schema.org",
      "github.com",
      "code.visualstudio.com",
      "microsoft.com",
      "react.dev",
      "reactjs.org",
      "prettier.io",
      "yarnpkg.com",
      "commonmark.org",
      "en.wikipedia.org",
      "www.onegraph.com",
      "spec.graphql.org",
    ]);
    const cdnLike =
      /(?:googleapis|gstatic|jsdelivr|unpkg|esm\.sh|cdnjs|cloudflare|apollographql|graphql\.com|fontawesome|typekit)/i;
    const offenders: string[] = [];
    for (const file of filesUnder(distDir)) {
      if (!/\.(?:html|js|css|svg|json)$/.test(file)) continue;
      let text = readFileSync(file, "utf8");
      // CSS comments (licence headers) are never fetched; anything else in HTML, CSS or SVG would be.
      if (file.endsWith(".css")) text = text.replace(/\/\*[\s\S]*?\*\//g, "");
      const markup = !file.endsWith(".js") && !file.endsWith(".json");
      const name = relative(distDir, file);
      for (const match of text.matchAll(/(?:https?|wss?):\/\/([a-z0-9.-]*[a-z0-9])/gi)) {
        const host = match[1]!.toLowerCase();
        if (host === "localhost" || host === "127.0.0.1") continue;
        const allowed = markup ? host === "www.w3.org" : inert.has(host);
        if (cdnLike.test(host) || !allowed) offenders.push(`${name}: ${match[0]}`);
      }
      if (file.endsWith(".css")) {
        for (const match of text.matchAll(/@import\s+(?:url\()?["']?([^"');]+)/g))
          offenders.push(`${name}: @import ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("tells a browser how to build the explorer when dist/ is missing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "asky-explorer-"));
    const routes = explorerRoutes(join(empty, "dist"));
    const server = http.createServer((req, res) => {
      const handler = req.url?.startsWith(EXPLORER_PREFIX) ? routes.prefixRoutes[EXPLORER_PREFIX]! : routes.landingPage;
      void Promise.resolve(handler(req, res)).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const page = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(503);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toContain("npm run build -w @asky/explorer");
      expect((await fetch(`${base}/explorer/assets/index.js`)).status).toBe(404);
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// In a real browser
