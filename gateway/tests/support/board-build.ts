import { spawn } from "node:child_process";
import { repoRoot } from "@asky/stack";
import { boardBuildIsCurrent } from "@asky/board/source-hash";

/** Builds the ward board when dist/ is missing or stale (npm start/test do this in scripts/bootstrap.mjs). */
export async function ensureBoardBuilt(): Promise<void> {
  if (boardBuildIsCurrent()) return;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("npm", ["run", "build", "-w", "@asky/board", "--", "--logLevel", "warn"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
    child.once("exit", resolve);
    child.once("error", () => resolve(127));
  });
  if (code !== 0 || !boardBuildIsCurrent()) throw new Error(`npm run build -w @asky/board failed (exit code ${code})`);
}
