/**
 * The trusted documents manifest reaches the image: the build copies the file the gateway's
 * default path names, docker-compose.yml and the Kubernetes base point TRUSTED_DOCUMENTS_MANIFEST
 * at that copy, and the production overlay runs with TRUSTED_DOCUMENTS=required.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { gatewayEnv } from "@asky/gateway/config";
import { readManifest } from "@asky/gateway/trusted-documents/manifest";
import { rewriteAssetUrls } from "../../scripts/build/asset-urls.js";
import { runtimeAssets } from "../../scripts/build/runtime-assets.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const configFile = join(root, "gateway/src/trusted-documents/trusted-documents-config.ts");
const workdir = [...read("Dockerfile").matchAll(/^WORKDIR\s+(\S+)/gm)].at(-1)?.[1];

describe("the trusted documents manifest in the image", () => {
  const { assets } = rewriteAssetUrls(readFileSync(configFile, "utf8"), configFile, root);
  const mirrored = assets.map((asset) => asset.mirrored);

  it("is the gateway's default manifest, copied by the build", async () => {
    expect(mirrored).toEqual(["packages/client/src/gql/persisted-documents.json"]);
    expect(runtimeAssets).toContain(mirrored[0]);
    expect(gatewayEnv.trustedDocumentsManifest.parse(undefined)).toBe(join(root, mirrored[0]!));
    expect((await readManifest(join(root, mirrored[0]!)))?.size).toBeGreaterThan(0);
  });

  it("is what docker-compose.yml and the Kubernetes base point the gateway at", () => {
    const inImage = `${workdir}/${mirrored[0]}`;
    const compose = parse(read("docker-compose.yml"), { merge: true }) as {
      services: Record<string, { environment?: Record<string, unknown> }>;
    };
    expect(compose.services.gateway?.environment?.TRUSTED_DOCUMENTS_MANIFEST).toBe(inImage);
    expect(read("deploy/kubernetes/base/gateway.env")).toMatch(
      new RegExp(`^TRUSTED_DOCUMENTS_MANIFEST=${inImage.replace(/[.]/g, "\\.")}$`, "m"),
    );
  });

  it("is required in production", () => {
    const overlay = parse(read("deploy/kubernetes/overlays/production/kustomization.yaml")) as {
      configMapGenerator: { name: string; literals?: string[] }[];
    };
    const gateway = overlay.configMapGenerator.find((generator) => generator.name === "asky-gateway");
    expect(gateway?.literals).toContain("TRUSTED_DOCUMENTS=required");
  });
});
