import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (this file lives in packages/stack/src). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Default folder for persistent local data (Postgres cluster, JetStream store, secrets). */
export const defaultDataDir: string = resolve(repoRoot, ".data");
