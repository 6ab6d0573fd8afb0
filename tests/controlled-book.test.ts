/**
 * Acceptance of the controlled substances book (issue 16), on the real stack through the
 * gateway: after restocks in two cabinets, dispensings, a return and a witnessed loss of one
 * controlled medication, the book's closing balance is what the cabinets hold, its entries are
 * chronological with running balances that add up, and actor and witness resolve to people; a
 * nurse is refused; the CSV route gives the same rows (spreadsheet-safe) and refuses callers
 * without a token; and once the month is closed a change in it is refused and changes nothing.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { hospitalToday } from "@asky/runtime";
import { asGateway, createUser, demoToken, demoViewer, type FreshUser } from "@asky/stack/testing";
import { ADJUST, BOOK, getCsv, csvUrl, parseCsv, type Book, type Section } from "./support/controlled-book.js";

// The list this file closes for the current month; no other test moves stock of it.
const LIST = "C5";
const pharmacist = asGateway("pharmacist@asky.dev");
const admin = asGateway("admin@asky.dev");
const nurse = asGateway("nurse@asky.dev");
const actorId = demoViewer("pharmacist@asky.dev").id;

const expiry = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
const INJECTED_NOTE = '=HYPERLINK("http://evil.example"),"x"';

let witness: FreshUser;
let itemId: string;
let cabinets: { id: string; code: string }[];
const range = {
  from: new Date(Date.now() - 3_600_000).toISOString(),
  to: new Date(Date.now() + 3_600_000).toISOString(),
};

async function cabinet(): Promise<{ id: string; code: string }> {
  const code = `PYX-LIVRO-${randomUUID().slice(0, 6).toUpperCase()}`;
  const { createDispenser } = await admin.ok<{ createDispenser: { id: string; code: string } }>(
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id code } }`,
    { input: { code, name: `Livro ${code}`, ward: "CLINICA-CIRURGICA", location: "Farmácia satélite" } },
  );
  return createDispenser;
}

const adjust = (index: number, input: Record<string, unknown>) =>
  pharmacist.call<{ adjustStock: { quantity: number } }>(ADJUST, {
    input: { dispenserId: cabinets[index]!.id, itemId, ...input },
  });

async function witnessed(index: number): Promise<string> {
  const { issueWitnessToken } = await pharmacist.ok<{ issueWitnessToken: { token: string } }>(
    `mutation($input: IssueWitnessTokenInput!) { issueWitnessToken(input: $input) { token } }`,
    {
      input: {
        email: witness.email,
        password: witness.password,
        transition: "STOCK_LOSS",
        dispenserId: cabinets[index]!.id,
        itemId,
      },
    },
  );
  return issueWitnessToken.token;
}

/** What every cabinet holds of the item, read through the API. */
async function cabinetStock(): Promise<number> {
  let total = 0;
  for (const { id } of cabinets) {
    const { dispenser } = await pharmacist.ok<{ dispenser: { stock: { quantity: number; item: { id: string } }[] } }>(
      `query($id: ID!) { dispenser(id: $id) { stock { quantity item { id } } } }`,
      { id },
    );
    total += dispenser.stock.find((level) => level.item.id === itemId)?.quantity ?? 0;
  }
  return total;
}

const readBook = async (): Promise<Section> =>
  (await pharmacist.ok<Book>(BOOK, { list: LIST, itemId, ...range })).controlledBook.items[0]!;

beforeAll(async () => {
  witness = await createUser("PHARMACIST");
  const code = `MED-ANABOL-${randomUUID().slice(0, 6).toUpperCase()}`;
  const { createMedication } = await pharmacist.ok<{ createMedication: { id: string } }>(
    `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`,
    {
      input: {
        code,
        name: `Nandrolona ${code}`,
        unit: "ampola",
        unitCost: 21.4,
        activeIngredient: "Decanoato de nandrolona",
        strength: "50 mg/mL",
        dosageForm: "solução injetável",
        controlList: LIST,
      },
    },
  );
  itemId = createMedication.id;
  cabinets = [await cabinet(), await cabinet()];
  const steps: [number, Record<string, unknown>][] = [
    [0, { delta: 20, reason: "RESTOCK", lotNumber: "LA-01", expiresAt: expiry, note: "NF-4471" }],
    [1, { delta: 8, reason: "RESTOCK", lotNumber: "LB-02", expiresAt: expiry }],
    [0, { delta: -3, reason: "DISPENSED", note: "RX-0091" }],
    [1, { delta: -2, reason: "DISPENSED", note: INJECTED_NOTE }],
    [1, { delta: 1, reason: "RETURNED", lotNumber: "LB-02" }],
  ];
  for (const [index, input] of steps) expect((await adjust(index, input)).errors).toBeUndefined();
  const loss = await adjust(0, { delta: -1, reason: "DAMAGED", witnessToken: await witnessed(0) });
  expect(loss.errors).toBeUndefined();
});

describe("controlledBook", () => {
  it("balances agree with the cabinets' stock after restocks, dispensings and a witnessed loss", async () => {
    const section = await readBook();
    expect(section.openingBalance).toBe(0);
    expect(section.entries.map((e) => [e.movement, e.quantity, e.balance])).toEqual([
      ["ENTRY", 20, 20],
      ["ENTRY", 8, 28],
      ["EXIT", 3, 25],
      ["EXIT", 2, 23],
      ["ENTRY", 1, 24],
      ["LOSS", 1, 23],
    ]);
    expect(section.closingBalance).toBe(23);
    expect(await cabinetStock()).toBe(section.closingBalance);
    // Chronological, and each balance is the one before it moved by the entry.
    const times = section.entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    let balance = section.openingBalance;
    for (const entry of section.entries) {
      balance += entry.movement === "ENTRY" ? entry.quantity : -entry.quantity;
      expect(entry.balance).toBe(balance);
    }
    // Who moved each unit, and who witnessed the loss, resolve to people.
    for (const entry of section.entries) expect(entry.actor).toEqual({ id: actorId, fullName: expect.any(String) });
    const loss = section.entries.at(-1)!;
    expect(loss).toMatchObject({ reason: "DAMAGED", lotNumber: "LA-01", dispenser: { id: cabinets[0]!.id } });
    expect(loss.witness).toEqual({ id: witness.id, fullName: "Pessoa de Teste" });
    expect(section.entries.slice(0, -1).every((e) => e.witness === null)).toBe(true);
    expect(section.entries[0]!.document).toBe("NF-4471");
  });

  it("is refused to a nurse", async () => {
    const answer = await nurse.call<Book>(BOOK, { list: LIST, itemId, ...range });
    expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(answer.data?.controlledBook ?? null).toBeNull();
  });
});

describe("GET /reports/controlled-book.csv", () => {
  it("gives the book's rows, spreadsheet-safe", async () => {
    const section = await readBook();
    const response = await getCsv({ list: LIST, itemId, ...range }, await demoToken("pharmacist@asky.dev"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual([
      "item_code",
      "item_name",
      "at",
      "document",
      "cabinet",
      "movement",
      "reason",
      "quantity",
      "balance",
      "lot_number",
      "actor",
      "witness",
    ]);
    expect(rows[0]).toEqual([section.item.code, section.item.name, "", "", "", "OPENING", "", "", "0", "", "", ""]);
    expect(rows.at(-1)).toEqual([
      section.item.code,
      section.item.name,
      "",
      "",
      "",
      "CLOSING",
      "",
      "",
      "23",
      "",
      "",
      "",
    ]);
    const documentCell = (document: string) => (/^[=+\-@]/.test(document) ? `'${document}` : document);
    expect(rows.slice(1, -1)).toEqual(
      section.entries.map((e) => [
        section.item.code,
        section.item.name,
        e.at,
        documentCell(e.document),
        e.dispenser.code,
        e.movement,
        e.reason,
        String(e.quantity),
        String(e.balance),
        e.lotNumber ?? "",
        e.actor?.fullName ?? "",
        e.witness?.fullName ?? "",
      ]),
    );
    // The note that would be a formula in a spreadsheet is text there.
    expect(rows.some((row) => row[3] === `'${INJECTED_NOTE}`)).toBe(true);
  });

  it("refuses callers without a token, a nurse, and bad parameters with coded JSON", async () => {
    const params = { list: LIST, itemId, ...range };
    const expectRefusal = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(body.errors[0]!.extensions.code).toBe(code);
      expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts:\d+/);
      return body.errors[0]!.extensions;
    };
    await expectRefusal(await getCsv(params), 401, "UNAUTHENTICATED");
    await expectRefusal(await getCsv(params, "not-a-token"), 401, "UNAUTHENTICATED");
    await expectRefusal(await getCsv(params, await demoToken("nurse@asky.dev")), 403, "FORBIDDEN");
    const token = await demoToken("pharmacist@asky.dev");
    const bads: Record<string, string>[] = [
      { list: "Z9" },
      { list: "" },
      { from: "yesterday" },
      { to: "9".repeat(3000) },
      { itemId: "'; drop table x; --" },
      { extra: "1" },
    ];
    for (const bad of bads) {
      expect(await expectRefusal(await getCsv({ ...params, ...bad }, token), 400, "BAD_USER_INPUT")).toMatchObject({
        reason: "INVALID_PARAMETER",
      });
    }
    const backwards = { ...params, from: range.to, to: range.from };
    expect(await expectRefusal(await getCsv(backwards, token), 400, "BAD_USER_INPUT")).toMatchObject({
      reason: "INVALID_RANGE",
    });
    await expectRefusal(await getCsv({ ...params, itemId: randomUUID() }, token), 404, "NOT_FOUND");
    const post = await fetch(csvUrl(params), { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(post.status).toBe(405);
  });
});

describe("closeControlledBookPeriod", () => {
  it("freezes the month: a later change in it is refused and changes nothing", async () => {
    const month = hospitalToday().slice(0, 7);
    const { closeControlledBookPeriod } = await pharmacist.ok<{
      closeControlledBookPeriod: { month: string; balances: { item: { id: string }; balance: number }[] };
    }>(
      `mutation($list: ControlList!, $month: String!) {
        closeControlledBookPeriod(list: $list, month: $month) { month balances { item { id } balance } } }`,
      { list: LIST, month },
    );
    expect(closeControlledBookPeriod.balances).toContainEqual({ item: { id: itemId }, balance: 23 });

    const before = { book: await readBook(), stock: await cabinetStock() };
    for (const input of [
      { delta: -1, reason: "DISPENSED" },
      { delta: 5, reason: "RESTOCK", lotNumber: "LA-01" },
    ]) {
      const answer = await adjust(0, input);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "PERIOD_CLOSED" });
    }
    const loss = await adjust(0, { delta: -1, reason: "DAMAGED", witnessToken: await witnessed(0) });
    expect(loss.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "PERIOD_CLOSED" });
    expect({ book: await readBook(), stock: await cabinetStock() }).toEqual(before);
  });
});
