/**
 * Init container of the subgraphs: waits until the database setup Job of this release
 * (SETUP_JOB) has succeeded, then exits 0 and lets the service start. Plain Node, no
 * dependencies: it runs from a ConfigMap in the Asky image, whatever that image bundles.
 *
 * It asks the Kubernetes API with the pod's projected service-account token, which the pod
 * mounts into this container only; RBAC lets that account read this one Job and nothing else.
 * A Job that failed is reported and waited for (someone fixes the cause and re-creates it);
 * meanwhile the pod stays in Init, which `kubectl get pods` shows.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";

const job = process.env.SETUP_JOB;
const credentials = process.env.SETUP_WAIT_CREDENTIALS ?? "/var/run/secrets/asky-setup-wait";
const intervalMs = Number(process.env.SETUP_WAIT_INTERVAL_MS ?? 5000);

function log(message) {
  console.log(`[wait-for-setup] ${message}`);
}

/** The API server, as every pod's environment names it; KUBERNETES_API_URL overrides it (tests). */
function apiBase() {
  if (process.env.KUBERNETES_API_URL) return process.env.KUBERNETES_API_URL;
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? "443";
  if (!host) throw new Error("KUBERNETES_SERVICE_HOST is not set: not running in a pod?");
  return `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** GET a JSON document; resolves with the status and the parsed body (null when not JSON). */
function getJson(url, token) {
  const target = new URL(url);
  const client = target.protocol === "http:" ? http : https;
  const options = {
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    timeout: 10_000,
    ...(target.protocol === "https:" ? { ca: readFileSync(`${credentials}/ca.crt`) } : {}),
  };
  return new Promise((resolve, reject) => {
    const request = client.get(target, options, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        let parsed = null;
        try {
          parsed = JSON.parse(body);
        } catch {
          // An error page from a proxy: the status says enough.
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
  });
}

/** "succeeded", "failed" or "running", from the Job's status. */
function stateOf(status) {
  if ((status?.succeeded ?? 0) > 0) return "succeeded";
  const failed = (status?.conditions ?? []).some((c) => c.type === "Failed" && c.status === "True");
  return failed ? "failed" : "running";
}

async function main() {
  if (!job) throw new Error("SETUP_JOB is not set");
  const namespace = readFileSync(`${credentials}/namespace`, "utf8").trim();
  const url = `${apiBase()}/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs/${encodeURIComponent(job)}`;
  log(`waiting for job/${job} in namespace ${namespace} to succeed`);
  let last = "";
  for (;;) {
    let state;
    try {
      // Read every time: the kubelet rotates the projected token.
      const token = readFileSync(`${credentials}/token`, "utf8").trim();
      const { status, body } = await getJson(url, token);
      if (status === 200) state = stateOf(body?.status);
      else if (status === 404) state = "not created yet";
      else state = `API answered ${status}${body?.message ? `: ${body.message}` : ""}`;
    } catch (error) {
      state = `API unreachable: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (state === "succeeded") {
      log(`job/${job} succeeded; starting the service`);
      return;
    }
    if (state !== last) {
      log(
        state === "failed"
          ? `job/${job} failed: see \`kubectl logs job/${job}\`, fix the cause and re-create the Job; still waiting`
          : `job/${job}: ${state}; still waiting`,
      );
      last = state;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`ERROR ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
