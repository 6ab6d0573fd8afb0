import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { distDir, explorerSourceHash, stampFile } from "./source-hash.mjs";

// Always a production build (React's, Vite's), even from a shell or test runner with NODE_ENV=test.
// Vite reads NODE_ENV after loading this file, as its docs suggest for this.
process.env.NODE_ENV = "production";

/** Where the gateway serves dist/ (gateway/src/explorer.ts); index.html itself is served at GET /graphql. */
const base = "/explorer/";
const compressible = /\.(?:js|mjs|css|html|svg|json|ttf|txt)$/;

/** Writes a .gz next to every compressible file so the gateway can serve it without compressing per request. */
function precompress(outDir: string): Plugin {
  return {
    name: "asky-precompress",
    apply: "build",
    closeBundle() {
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (compressible.test(entry.name)) {
            const content = readFileSync(path);
            if (content.length < 1024) continue;
            const gzipped = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
            if (gzipped.length < content.length * 0.9) writeFileSync(`${path}.gz`, gzipped);
          }
        }
      };
      walk(outDir);
    },
  };
}

/** Records which sources this build came from (scripts/bootstrap.mjs rebuilds when they change). */
function sourceStamp(): Plugin {
  let hash = "";
  return {
    name: "asky-source-stamp",
    apply: "build",
    buildStart() {
      hash = explorerSourceHash();
    },
    closeBundle() {
      writeFileSync(stampFile, `${hash}\n`);
    },
  };
}

export default defineConfig({
  base,
  plugins: [react(), precompress(distDir), sourceStamp()],
  build: {
    outDir: distDir,
    emptyOutDir: true,
    assetsDir: "assets",
    // Every asset is a file of its own: no data: URLs but the ones inside third-party CSS.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 5000,
    // Browsers that run GraphiQL 5 / Monaco all support <link rel="modulepreload">.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      onLog(level, log, handler) {
        // GraphiQL's React Compiler output starts modules with "use no memo"; bundling drops it, harmlessly.
        if (log.code === "MODULE_LEVEL_DIRECTIVE") return;
        handler(level, log);
      },
    },
  },
});
