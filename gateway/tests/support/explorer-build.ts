import { spawn } from "node:child_process";
import { repoRoot } from "@asky/stack";
import { explorerBuildIsCurrent } from "@asky/explorer/source-hash";

/** Builds the explorer when dist/ is missing or stale (npm start/test do this in scripts/bootstrap.mjs). */
export async function ensureExplorerBuilt(): Promise<void> {
  if (explorerBuildIsCurrent()) return;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("npm", ["run", "build", "-w", "@asky/explorer", "--", "--logLevel", "warn"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    child.once("exit", resolve);
    child.once("error", () => resolve(127));
  });
  if (code !== 0 || !explorerBuildIsCurrent())
    throw new Error(`npm run build -w @asky/explorer failed (exit code ${code})`);
}
