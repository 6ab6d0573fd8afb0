/**
 * `kubectl kustomize` renders deploy/kubernetes offline (no cluster). kubectl comes from
 * PATH; when it is missing and we are root on a Debian-like machine it is installed with
 * apt-get, as the stack installs nats-server. Otherwise the tests say what to install.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

const installHelp =
  "kubectl is needed to render deploy/kubernetes (`kubectl kustomize`, offline). Install it " +
  "(Debian/Ubuntu: `sudo apt-get install -y kubectl`; or https://kubernetes.io/docs/tasks/tools/) and put it on PATH.";

async function works(): Promise<boolean> {
  return run("kubectl", ["version", "--client"]).then(
    () => true,
    () => false,
  );
}

let ready: Promise<void> | undefined;

/** Resolves once `kubectl` runs, installing it when allowed; rejects with how to get it. */
export function ensureKubectl(): Promise<void> {
  ready ??= (async () => {
    if (await works()) return;
    if (process.getuid?.() !== 0) throw new Error(installHelp);
    const apt = (...args: string[]) =>
      run("apt-get", ["-o", "DPkg::Lock::Timeout=120", ...args], {
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    try {
      // The package lists may be missing or stale on a fresh machine.
      await apt("update");
      await apt("install", "-y", "--no-install-recommends", "kubectl");
    } catch (error) {
      throw new Error(`${installHelp}\napt-get failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    if (!(await works())) throw new Error(`apt-get installed kubectl, but it does not run. ${installHelp}`);
  })();
  return ready;
}

/** The objects `kubectl kustomize <dir>` renders, as YAML text. */
export async function kustomize(directory: string): Promise<string> {
  await ensureKubectl();
  const { stdout } = await run("kubectl", ["kustomize", directory], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
