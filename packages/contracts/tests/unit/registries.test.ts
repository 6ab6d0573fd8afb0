import { describe, expect, it } from "vitest";
import { defaultGraphqlUrl, isRole, pharmacyRoles, serviceRegistry, subgraphNames } from "../../src/index.js";

describe("service registry", () => {
  it("gives every service its own port, the gateway first", () => {
    const ports = Object.values(serviceRegistry).map((service) => service.defaultPort);
    expect(ports).toEqual([4000, 4001, 4002, 4003, 4004]);
    expect(defaultGraphqlUrl("dispensers")).toBe("http://127.0.0.1:4002/graphql");
  });

  it("names each subgraph's URL variable after it", () => {
    for (const name of subgraphNames) {
      expect(serviceRegistry[name]).toMatchObject({ name, urlEnvVar: `${name.toUpperCase()}_URL` });
      expect(serviceRegistry[name].schemaPath).toBe(`subgraphs/${name}/schema.graphql`);
    }
  });
});

describe("roles", () => {
  it("knows the pharmacy roles and nothing else", () => {
    expect(pharmacyRoles.every(isRole)).toBe(true);
    expect(isRole("nurse")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
