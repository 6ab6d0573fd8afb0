import { writeFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";
import { boardSourceHash, distDir, stampFile } from "./source-hash.mjs";

// Always a production build, even from a shell or test runner with NODE_ENV=test.
process.env.NODE_ENV = "production";

/** Where the gateway serves dist/ (gateway/src/board.ts). */
const base = "/board/";
/**
 * `npm run board` (vite dev server) talks to a running gateway through this proxy, so the page
 * stays same-origin exactly as when the gateway serves it: HTTP, WebSocket and SSE at /graphql.
 */
const gateway = process.env.ASKY_GATEWAY_URL ?? "http://localhost:4000";

/** Records which sources this build came from (scripts/bootstrap.mjs rebuilds when they change). */
function sourceStamp(): Plugin {
  let hash = "";
  return {
    name: "asky-source-stamp",
    apply: "build",
    buildStart() {
      hash = boardSourceHash();
    },
    closeBundle() {
      writeFileSync(stampFile, `${hash}\n`);
    },
  };
}

export default defineConfig({
  base,
  plugins: [sourceStamp()],
  server: {
    port: Number(process.env.BOARD_PORT ?? 5174),
    strictPort: false,
    proxy: { "/graphql": { target: gateway, ws: true, changeOrigin: true } },
  },
  build: {
    outDir: distDir,
    emptyOutDir: true,
    assetsDir: "assets",
    // Every asset is a file of its own: the CSP allows no inline style or script.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
});
