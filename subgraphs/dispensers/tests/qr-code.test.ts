import { describe, expect, it } from "vitest";
import QRCode from "qrcode";
import { qrOptions } from "../src/domain/qr-code.js";
import { as, call, codeOf, dispenserId, ok } from "./support.js";
import { decodePng, decodeSvg, svgModules } from "./qr-image.js";
import { freshCabinet } from "./stock-fixtures.js";

const labelQuery = `query($id: ID!) { dispenser(id: $id) { id qrCode { payload svg } } }`;
const byQr = `query($payload: String!) { dispenserByQr(payload: $payload) { id code } }`;
const rotate = `mutation($id: ID!) { rotateDispenserQr(id: $id) { id qrCode { payload } } }`;

async function label(id: string) {
  const { dispenser } = await ok<{ dispenser: { qrCode: { payload: string; svg: string } } }>(as.admin, labelQuery, {
    id,
  });
  return dispenser.qrCode;
}

describe("dispenser QR codes", () => {
  it("carries an opaque token, not the id, in a real QR code", async () => {
    const id = dispenserId("PYX-UTI-01");
    const { payload, svg } = await label(id);
    expect(payload).toMatch(/^asky:dispenser:[A-Za-z0-9_-]{43}$/);
    expect(payload).not.toContain(id);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    // The SVG itself, rasterized module by module, scans back to the payload.
    expect(decodeSvg(svg)).toBe(payload);
    // And it is the same symbol the library renders as PNG for the same payload and options.
    expect(decodePng(await QRCode.toBuffer(payload, qrOptions))).toBe(payload);
    const modules = QRCode.create(payload, qrOptions).modules;
    expect(svgModules(svg).size).toBe(modules.size + 2 * qrOptions.margin);
  });

  it("resolves a scanned label for any signed-in user, and forgeries to null", async () => {
    const id = dispenserId("PYX-PED-01");
    const { payload } = await label(id);
    const { dispenserByQr } = await ok<{ dispenserByQr: { id: string } }>(as.nurse, byQr, { payload: `${payload}\n` });
    expect(dispenserByQr.id).toBe(id);
    for (const forged of [
      `asky:dispenser:${id}`,
      `asky:dispenser:${"A".repeat(43)}`,
      payload.slice(0, -1),
      payload.replace("asky:dispenser:", "asky:request:"),
      "",
      "PYX-PED-01",
    ]) {
      const result = await ok<{ dispenserByQr: null }>(as.nurse, byQr, { payload: forged });
      expect(result.dispenserByQr, forged).toBeNull();
    }
    expect(codeOf(await call(as.nurse, byQr, { payload: "x".repeat(257) }))).toBe("BAD_USER_INPUT");
  });

  it("shows labels to pharmacy staff and admins only", async () => {
    const id = dispenserId("PYX-UTI-02");
    for (const who of [as.pharmacist, as.tech]) expect((await call(who, labelQuery, { id })).errors).toBeUndefined();
    const nurse = await call<{ dispenser: { id: string; qrCode: null } }>(as.nurse, labelQuery, { id });
    expect(codeOf(nurse)).toBe("FORBIDDEN");
    expect(nurse.data?.dispenser).toEqual({ id, qrCode: null });
  });

  it("rotates the token: the old label stops resolving, the new one works", async () => {
    const cabinet = await freshCabinet();
    const before = await label(cabinet.id);
    expect(codeOf(await call(as.pharmacist, rotate, { id: cabinet.id }))).toBe("FORBIDDEN");
    const { rotateDispenserQr } = await ok<{ rotateDispenserQr: { qrCode: { payload: string } } }>(as.admin, rotate, {
      id: cabinet.id,
    });
    const after = rotateDispenserQr.qrCode.payload;
    expect(after).not.toBe(before.payload);
    expect((await ok<{ dispenserByQr: null }>(as.nurse, byQr, { payload: before.payload })).dispenserByQr).toBeNull();
    expect((await ok<{ dispenserByQr: { id: string } }>(as.nurse, byQr, { payload: after })).dispenserByQr.id).toBe(
      cabinet.id,
    );
    expect(decodeSvg((await label(cabinet.id)).svg)).toBe(after);
    expect(codeOf(await call(as.admin, rotate, { id: "00000000-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");
  });
});
