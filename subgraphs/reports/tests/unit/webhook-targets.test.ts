/**
 * Which addresses a webhook may reach, the operator's allowance as WEBHOOK_ALLOWED_HOSTS
 * reads, and the back-off between attempts.
 */
import { describe, expect, it } from "vitest";
import { allowsInternal, parseAllowance } from "../../src/webhooks/allowance.js";
import { backOffMs, MAX_BACK_OFF_MS } from "../../src/webhooks/back-off.js";
import { isInternalAddress } from "../../src/webhooks/internal-address.js";
import { permittedAddresses, RefusedTarget } from "../../src/webhooks/target-guard.js";

describe("internal addresses", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",
    "10.0.0.1",
    "100.64.0.1",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "224.0.0.251",
    "255.255.255.255",
    "::",
    "::1",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::FFFF:10.0.0.1",
    "64:ff9b::a00:1",
    "2002:7f00:1::",
    "not-an-address",
  ])("%s is internal", (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "93.184.216.34", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "%s is not",
    (address) => {
      expect(isInternalAddress(address)).toBe(false);
    },
  );
});

describe("WEBHOOK_ALLOWED_HOSTS", () => {
  it("allows listed hosts by name and addresses by CIDR", () => {
    const allowance = parseAllowance(
      "WEBHOOK_ALLOWED_HOSTS",
      " Receiver.Local ,127.0.0.1, 10.20.0.0/16,[::1],fd00::/8",
    );
    expect([...allowance.hosts].sort()).toEqual(["127.0.0.1", "::1", "receiver.local"]);
    expect(allowsInternal(allowance, "receiver.local", "192.168.0.9")).toBe(true);
    expect(allowsInternal(allowance, "other.local", "10.20.3.4")).toBe(true);
    expect(allowsInternal(allowance, "other.local", "10.21.3.4")).toBe(false);
    expect(allowsInternal(allowance, "other.local", "fd12::1")).toBe(true);
    // A listed IP allows that host, not a name that resolves to it.
    expect(allowsInternal(allowance, "localhost", "127.0.0.1")).toBe(false);
    expect(parseAllowance("X", "").hosts.size).toBe(0);
  });

  it.each(["10.0.0.0/33", "10.0.0.0/x", "nope/8", "::/129", "bad host", "a..b", "http://x"])(
    "refuses %s when the service starts",
    (entry) => {
      expect(() => parseAllowance("WEBHOOK_ALLOWED_HOSTS", entry)).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    },
  );
});

describe("permittedAddresses", () => {
  const none = parseAllowance("X", "");
  it("refuses a name when any of its addresses is internal", async () => {
    const resolve = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ];
    await expect(permittedAddresses("mixed.example", none, resolve)).rejects.toMatchObject({
      reason: "INTERNAL_TARGET",
    });
    await expect(
      permittedAddresses("public.example", none, async () => [{ address: "93.184.216.34", family: 4 }]),
    ).resolves.toHaveLength(1);
  });

  it("refuses a name that does not resolve", async () => {
    const error = await permittedAddresses("gone.example", none, async () => {
      throw new Error("ENOTFOUND");
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefusedTarget);
    expect((error as RefusedTarget).reason).toBe("UNRESOLVABLE_HOST");
  });
});

describe("back-off", () => {
  it("doubles from the base, half of it jitter, capped at an hour", () => {
    expect(backOffMs(1, 1000, () => 0)).toBe(500);
    expect(backOffMs(1, 1000, () => 1)).toBe(1000);
    expect(backOffMs(4, 1000, () => 1)).toBe(8000);
    expect(backOffMs(4, 1000, () => 0)).toBe(4000);
    expect(backOffMs(40, 1000, () => 1)).toBe(MAX_BACK_OFF_MS);
  });
});
