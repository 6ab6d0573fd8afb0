import { describe, expect, it } from "vitest";
import { httpBase, listenAddress } from "../../src/testing/listen-address.js";

describe("listenAddress", () => {
  it("takes the PORT and HOST a test gives", () => {
    expect(listenAddress({ PORT: "41234" })).toEqual({ host: "127.0.0.1", port: 41234 });
    expect(listenAddress({ PORT: "41234", HOST: "127.0.0.2" })).toEqual({ host: "127.0.0.2", port: 41234 });
    expect(listenAddress({ PORT: " 8080 " })).toEqual({ host: "127.0.0.1", port: 8080 });
  });

  it("leaves the port to the helper without one, and reaches a wildcard HOST on loopback", () => {
    expect(listenAddress({})).toEqual({ host: "127.0.0.1", port: undefined });
    for (const HOST of ["0.0.0.0", "::", "[::]", " "]) expect(listenAddress({ HOST }).host).toBe("127.0.0.1");
  });

  it("refuses a PORT that names no port it could wait on", () => {
    for (const PORT of ["", "0", "-1", "65536", "80.5", "1e3", "0x50", "http", "80 81"]) {
      expect(() => listenAddress({ PORT }), PORT).toThrow(/PORT must be a port number/);
    }
  });
});

describe("httpBase", () => {
  it("puts an IPv6 address in brackets", () => {
    expect(httpBase("127.0.0.1", 80)).toBe("http://127.0.0.1:80");
    expect(httpBase("::1", 8080)).toBe("http://[::1]:8080");
  });
});
