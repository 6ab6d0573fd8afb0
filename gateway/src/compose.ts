import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";
import { composeServices } from "@apollo/composition";
import { serviceRegistry, type ServiceId } from "@asky/contracts";
import { subgraphs } from "./subgraphs.js";

const repoRoot = new URL("../../", import.meta.url);

/** A service's schema file (the registry's path, from the repository root). */
export function schemaPathOf(name: ServiceId): string {
  return fileURLToPath(new URL(serviceRegistry[name].schemaPath, repoRoot));
}

export const supergraphPath = schemaPathOf("gateway");

/**
 * Composes the supergraph in-process from the subgraphs' own schema files, the same
 * composition rover would run, so no external binary or network is involved.
 */
export async function composeSupergraph(): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async ({ name, defaultUrl }) => ({
      name,
      url: defaultUrl,
      typeDefs: parse(await readFile(schemaPathOf(name), "utf8")),
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join("\n")}`);
  }
  return result.supergraphSdl;
}
