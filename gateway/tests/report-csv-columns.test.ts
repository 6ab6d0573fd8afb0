/**
 * The CSV routes ask the reports subgraph for this release's figures through the real gateway:
 * turnaround's within_sla and breached columns, consumption grouped by THERAPEUTIC_CLASS. A
 * query the supergraph does not accept would be a 500 here, never a CSV.
 */
import { describe, expect, it } from "vitest";
import { demoToken, testStack } from "@asky/stack/testing";

const csv = async (path: string, groupBy: string) => {
  const address = new URL(path, testStack().gatewayUrl);
  address.searchParams.set("from", new Date(Date.now() - 86_400_000).toISOString());
  address.searchParams.set("to", new Date(Date.now() + 3_600_000).toISOString());
  address.searchParams.set("groupBy", groupBy);
  const response = await fetch(address, {
    headers: { authorization: `Bearer ${await demoToken("pharmacist@asky.dev")}` },
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), lines: text.split("\r\n"), text };
};

describe("report CSV columns through the gateway", () => {
  it("turnaround ends with within_sla and breached", async () => {
    const { status, type, lines, text } = await csv("/reports/turnaround.csv", "PRIORITY");
    expect(status, text).toBe(200);
    expect(type).toMatch(/^text\/csv/);
    expect(lines[0]!.split(",").slice(-2)).toEqual(["within_sla", "breached"]);
    for (const line of lines.slice(1, -1)) expect(line.split(",")).toHaveLength(lines[0]!.split(",").length);
  });

  it("consumption groups by therapeutic class", async () => {
    const { status, lines, text } = await csv("/reports/consumption.csv", "THERAPEUTIC_CLASS,WARD");
    expect(status, text).toBe(200);
    expect(lines[0]).toBe("therapeuticClass,ward,quantity,cost,requests");
  });

  it("refuses an unknown group with 400 naming groupBy", async () => {
    const { status, text } = await csv("/reports/consumption.csv", "THERAPEUTIC_CLASS,PRIORITY");
    expect(status).toBe(400);
    expect(text).toMatch(/groupBy/);
  });
});
