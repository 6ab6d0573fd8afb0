import { describe, expect, it } from "vitest";
import { InvalidEventError, requestStatusChanged } from "../../src/index.js";
import { overTheWire, requestData } from "./fixtures.js";

/** The request events' `lines` (every line of the request, for read models), added after version 1 shipped. */
describe("request event lines", () => {
  const wire = (change: Record<string, unknown>) => {
    const built = overTheWire(requestStatusChanged.build(requestData)) as { data: Record<string, unknown> };
    return { ...built, data: { ...built.data, ...change } };
  };
  const line = requestData.lines![0]!;

  it("reads an event written before lines existed as having none", () => {
    const { lines: _dropped, ...older } = wire({}).data;
    expect(requestStatusChanged.parse({ ...wire({}), data: older }).data.lines).toBeNull();
  });

  it.each([
    [{ quantityRequested: 0 }, "lines[0].quantityRequested"],
    [{ quantityDispatched: -1 }, "lines[0].quantityDispatched"],
    [{ unitCost: "1.25" }, "lines[0].unitCost"],
    [{ substitute: "no" }, "lines[0].substitute"],
    [{ itemKind: "ASSISTANCE" }, "lines[0].itemKind"],
    [{ therapeuticClass: "" }, "lines[0].therapeuticClass"],
    [{ therapeuticClass: 7 }, "lines[0].therapeuticClass"],
  ])("refuses a malformed line %j naming %s", (change, path) => {
    const event = wire({ lines: [{ ...line, ...change }] });
    expect(() => requestStatusChanged.parse(event)).toThrow(InvalidEventError);
    expect(() => requestStatusChanged.parse(event)).toThrow(path);
  });

  it("reads a line written before the therapeutic class was kept as of unknown class", () => {
    const { therapeuticClass: _dropped, ...older } = line;
    const parsed = requestStatusChanged.parse(wire({ lines: [older] }));
    expect(parsed.data.lines![0]!.therapeuticClass).toBeNull();
  });

  it("carries the therapeutic class frozen on a line, and null as null", () => {
    const classified = wire({
      lines: [
        { ...line, therapeuticClass: "Analgésico" },
        { ...line, therapeuticClass: null },
      ],
    });
    const parsed = requestStatusChanged.parse(classified).data.lines!;
    expect(parsed.map((each) => each.therapeuticClass)).toEqual(["Analgésico", null]);
  });
});
