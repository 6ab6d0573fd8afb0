import { readFile } from "node:fs/promises";
import { watchFile, unwatchFile } from "node:fs";
import type { SupergraphManager } from "@apollo/gateway";
import type { Logger } from "@asky/runtime";

/**
 * Serves the supergraph from a file and hot-reloads it when the file changes. A file
 * that fails to load (half-written, or composed against a broken subgraph) is logged
 * and ignored: the gateway keeps serving the last good supergraph.
 *
 * Polling (`watchFile`) rather than `fs.watch`, because deploy tools replace the file
 * by rename, which inotify-based watchers lose track of.
 */
export function supergraphFile(path: string, logger: Logger, intervalMs = 1_000): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = await readFile(path, "utf8");
      let reloading = Promise.resolve();
      const onChange = () => {
        reloading = reloading.then(async () => {
          try {
            const next = await readFile(path, "utf8");
            if (next === current || next.trim().length === 0) return;
            update(next);
            current = next;
            logger.info({ path }, "supergraph reloaded");
          } catch (error) {
            logger.error({ err: error, path }, "supergraph reload failed; keeping the previous one");
          }
        });
      };
      watchFile(path, { interval: intervalMs }, onChange);
      return {
        supergraphSdl: current,
        async cleanup() {
          unwatchFile(path, onChange);
          await reloading;
        },
      };
    },
  };
}
