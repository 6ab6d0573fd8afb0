/**
 * Every argument and input field that reaches SQL, sent hostile values through the real
 * gateway: control characters, lone surrogates, tampered cursors, dates Postgres cannot
 * hold, integers beyond int4. Each must answer BAD_USER_INPUT naming the argument (or the
 * contract's null / NOT_FOUND for an id that names nothing), change nothing, and never be
 * logged as an unexpected error: a client that can make a service fault on purpose can fill
 * its error log and page the on-call pharmacist's IT team at will.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";
import { itemId } from "@asky/db/seed/ids";
import { createUser } from "@asky/stack/testing";
import { gql, type GraphQLResponse } from "./support/graphql.js";
import { serviceLogLines } from "./support/service-log.js";
import { demoToken, type DemoAccount } from "./support/session.js";

const stack = testStack();

type Outcome = "BAD_USER_INPUT" | "NOT_FOUND" | "null";

interface Case {
  /** The operation and the argument (or input field) the hostile value goes into. */
  readonly name: string;
  readonly as: DemoAccount | null;
  readonly query: string;
  readonly variables: () => Record<string, unknown>;
  readonly expect: Outcome;
  /** `extensions.argument` (top-level argument) or `extensions.field` (input field) of the error. */
  readonly names?: string;
}

const cursor = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
const someId = "6f1c1a44-2a0c-4c0e-9d0a-5b1f0c3e8d21";

const NUL = "Dipirona\u0000";
const ESC = "\u001b[2J";
const C1 = "Sala\u0085B";
const DEL = "UTI\u007f";
const LONE_SURROGATE = "nota \ud800";
const TAB = "Sala\tB";

const USERS = `query($after: String, $search: String, $first: Int) { users(first: $first, after: $after, search: $search) { totalCount } }`;
const AUDIT = `query($after: String, $action: String) { auditLog(first: 5, after: $after, action: $action) { totalCount } }`;
const LOGIN = `mutation($email: String!) { login(email: $email, password: "asky-demo-2026") { accessToken } }`;
const USER = `query($id: ID!) { user(id: $id) { id } }`;
const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }`;
const DELETE_USER = `mutation($id: ID!) { deleteUser(id: $id) { id } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
const DISPENSERS = `query($after: String, $ward: String, $search: String) { dispensers(after: $after, ward: $ward, search: $search) { totalCount } }`;
const CATALOG = `query($after: String, $search: String) { catalog(after: $after, search: $search) { totalCount } }`;
const DISPENSER = `query($id: ID!) { dispenser(id: $id) { id } }`;
const MEDICATION = `query($id: ID!) { medication(id: $id) { id } }`;
const BY_QR = `query($payload: String!) { dispenserByQr(payload: $payload) { id } }`;
const EXPIRING = `query($ward: String, $dispenserId: ID) { expiringLots(withinDays: 30, ward: $ward, dispenserId: $dispenserId) { lotNumber } }`;
const CREATE_DISPENSER = `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`;
const UPDATE_DISPENSER = `mutation($id: ID!, $input: UpdateDispenserInput!) { updateDispenser(id: $id, input: $input) { id } }`;
const CREATE_MEDICATION = `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`;
const UPDATE_MEDICATION = `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { id } }`;
const CREATE_MATERIAL = `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity } }`;
const PAR_LEVELS = `mutation($dispenserId: ID!, $itemId: ID!, $parLevel: Int!, $minLevel: Int!) {
  setParLevels(dispenserId: $dispenserId, itemId: $itemId, parLevel: $parLevel, minLevel: $minLevel) { quantity }
}`;
const REQUESTS = `query($first: Int, $after: String, $ward: String, $dispenserId: ID) {
  requests(first: $first, after: $after, ward: $ward, dispenserId: $dispenserId) { totalCount }
}`;
const MY_REQUESTS = `query($after: String) { me { id requests(after: $after) { totalCount } } }`;
const REQUEST = `query($id: ID!) { request(id: $id) { id } }`;
const REQUEST_EVENT = `query($id: ID!) { requestEvent(id: $id) { cursor } }`;
const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
const CHANGE_STATUS = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id } }`;
const RECORD_PICK = `mutation($input: RecordPickInput!) { recordPick(input: $input) { id } }`;
const CONFIRM_RECEIPT = `mutation($input: ConfirmReceiptInput!) { confirmReceipt(input: $input) { id } }`;
const BOOK = `query($list: ControlList!, $itemId: ID, $from: DateTime!, $to: DateTime!) { controlledBook(list: $list, itemId: $itemId, from: $from, to: $to) { list } }`;
const CLOSE_BOOK = `mutation($month: String!) { closeControlledBookPeriod(list: A1, month: $month) { month } }`;
const TURNAROUND = `query($from: DateTime!, $to: DateTime!, $ward: String) { turnaround(from: $from, to: $to, groupBy: [WARD], ward: $ward) { count } }`;

/** Objects the cases aim at, created for this file so that "nothing changed" is checkable. */
interface Fixtures {
  cabinet: string;
  medication: string;
  request: string;
  user: string;
}
const fixtures: Fixtures = { cabinet: "", medication: "", request: "", user: "" };

const dipirona = itemId("MED-DIPIRONA-500-CP");
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

const adjust = (extra: Record<string, unknown>) => () => ({
  input: {
    dispenserId: fixtures.cabinet,
    itemId: dipirona,
    delta: 1,
    reason: "RESTOCK",
    lotNumber: "L-HOSTILE-1",
    ...extra,
  },
});
const newRequest = (extra: Record<string, unknown>) => () => ({
  input: { kind: "MEDICATION", dispenserId: fixtures.cabinet, items: [{ itemId: dipirona, quantity: 1 }], ...extra },
});
const statusChange = (extra: Record<string, unknown>) => () => ({
  input: { requestId: fixtures.request, status: "ACCEPTED", expectedVersion: 1, ...extra },
});
const pickLine = (extra: Record<string, unknown>) => ({ itemId: dipirona, quantity: 1, ...extra });
const receipt = (line: Record<string, unknown>) => ({
  input: {
    requestId: fixtures.request,
    expectedVersion: 1,
    lines: [{ itemId: dipirona, quantityReceived: 1, ...line }],
  },
});
const recordPick =
  (line: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  () => ({
    input: { requestId: fixtures.request, expectedVersion: 1, lines: [pickLine(line)], ...extra },
  });
const pickLot = (extra: Record<string, unknown>) => ({
  lotNumber: "L-1",
  expiresAt: "2030-01-01",
  quantity: 1,
  ...extra,
});
const newDispenser = (extra: Record<string, unknown>) => () => ({
  input: { code: unique("PYX-HOSTILE"), name: "Armário", ward: "UTI-ADULTO", location: "Sala 1", ...extra },
});
const newMedication = (extra: Record<string, unknown>) => () => ({
  input: {
    code: unique("MED-HOSTILE"),
    name: "Hostilina",
    unit: "comprimido",
    unitCost: 1.5,
    activeIngredient: "hostilina",
    strength: "10 mg",
    dosageForm: "comprimido",
    ...extra,
  },
});
const vars = (values: Record<string, unknown>) => () => values;

const cases: Case[] = [
  // users
  {
    name: "users search NUL",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ search: NUL }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "users search ESC",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ search: ESC }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "users search C1",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ search: C1 }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "users search lone surrogate",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ search: LONE_SURROGATE }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "users first 2^31",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ first: 2 ** 31 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "users after NUL sort key",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ after: cursor(["Ana\u0000", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "users after non-UUID id",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ after: cursor(["Ana", "1 or 1=1"]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "users after numeric sort key",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ after: cursor([1e308, someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "users after object shape",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ after: cursor({ sort: "Ana", id: someId }) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "users after 3-element array",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ after: cursor(["Ana", someId, "x"]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "users after not base64 JSON",
    as: "admin@asky.dev",
    query: USERS,
    variables: vars({ after: "%%%not-a-cursor" }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "auditLog after year 275000",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ after: cursor(["+275000-01-01T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "auditLog after year -5000",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ after: cursor(["-005000-01-01T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "auditLog after year 0",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ after: cursor(["0000-01-01T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "auditLog after bare year",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ after: cursor(["2020", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "auditLog after name as timestamp",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ after: cursor(["March 7", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "auditLog action NUL",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ action: "user.login\u0000" }),
    expect: "BAD_USER_INPUT",
    names: "action",
  },
  {
    name: "auditLog action 10k characters",
    as: "admin@asky.dev",
    query: AUDIT,
    variables: vars({ action: "a".repeat(10_000) }),
    expect: "BAD_USER_INPUT",
    names: "action",
  },
  {
    name: "login email NUL",
    as: null,
    query: LOGIN,
    variables: vars({ email: "nurse@asky.dev\u0000" }),
    expect: "BAD_USER_INPUT",
    names: "email",
  },
  {
    name: "login email C1",
    as: null,
    query: LOGIN,
    variables: vars({ email: "nurse\u009b@asky.dev" }),
    expect: "BAD_USER_INPUT",
    names: "email",
  },
  { name: "user id not a UUID", as: "admin@asky.dev", query: USER, variables: vars({ id: "1\u0000" }), expect: "null" },
  {
    name: "updateUser id not a UUID",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: vars({ id: "nope", input: { nickname: "Nova" } }),
    expect: "NOT_FOUND",
  },
  {
    name: "updateUser fullName NUL",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { fullName: "Maria\u0000 Silva" } }),
    expect: "BAD_USER_INPUT",
    names: "fullName",
  },
  {
    name: "updateUser nickname lone surrogate",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { nickname: "Ma\udc00ria" } }),
    expect: "BAD_USER_INPUT",
    names: "nickname",
  },
  // Names were once trimmed and had every run of whitespace folded into one space before the
  // characters were looked at, so a tab or a line break inside a name was stored as a space.
  {
    name: "updateUser fullName tab",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { fullName: "Maria\tSilva" } }),
    expect: "BAD_USER_INPUT",
    names: "fullName",
  },
  {
    name: "updateUser nickname line break",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { nickname: "Ma\nria" } }),
    expect: "BAD_USER_INPUT",
    names: "nickname",
  },
  {
    name: "createUser fullName CR LF",
    as: "admin@asky.dev",
    query: CREATE_USER,
    variables: vars({
      input: {
        nickname: "Xis",
        fullName: "Xis\r\nHostil",
        email: `${randomUUID()}@test.asky.dev`,
        cpf: "529.982.247-25",
        role: "PHARMACIST",
        password: "velvet-harbor-compass-41",
      },
    }),
    expect: "BAD_USER_INPUT",
    names: "fullName",
  },
  {
    name: "updateUser phone NUL",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { phone: "11987654321\u0000" } }),
    expect: "BAD_USER_INPUT",
    names: "phone",
  },
  {
    name: "updateUser ward C1",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { ward: "UTI\u0085" } }),
    expect: "BAD_USER_INPUT",
    names: "ward",
  },
  {
    name: "updateUser email NUL",
    as: "admin@asky.dev",
    query: UPDATE_USER,
    variables: () => ({ id: fixtures.user, input: { email: "a\u0000@test.asky.dev" } }),
    expect: "BAD_USER_INPUT",
    names: "email",
  },
  {
    name: "createUser cpf NUL",
    as: "admin@asky.dev",
    query: CREATE_USER,
    variables: vars({
      input: {
        nickname: "Xis",
        fullName: "Xis Hostil",
        email: `${randomUUID()}@test.asky.dev`,
        cpf: "111.444.777-35\u0000",
        role: "PHARMACIST",
        password: "velvet-harbor-compass-41",
      },
    }),
    expect: "BAD_USER_INPUT",
    names: "cpf",
  },
  {
    name: "deleteUser id not a UUID",
    as: "admin@asky.dev",
    query: DELETE_USER,
    variables: vars({ id: "42" }),
    expect: "NOT_FOUND",
  },

  // dispensers
  {
    name: "dispensers search NUL",
    as: "nurse@asky.dev",
    query: DISPENSERS,
    variables: vars({ search: NUL }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "dispensers ward NUL",
    as: "nurse@asky.dev",
    query: DISPENSERS,
    variables: vars({ ward: "UTI\u0000" }),
    expect: "BAD_USER_INPUT",
    names: "ward",
  },
  {
    name: "dispensers after NUL sort key",
    as: "nurse@asky.dev",
    query: DISPENSERS,
    variables: vars({ after: cursor(["PYX\u0000", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "dispensers after non-UUID id",
    as: "nurse@asky.dev",
    query: DISPENSERS,
    variables: vars({ after: cursor(["PYX-UTI-01", "x"]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "dispensers after 10k sort key",
    as: "nurse@asky.dev",
    query: DISPENSERS,
    variables: vars({ after: cursor(["P".repeat(300), someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "catalog search C1",
    as: "nurse@asky.dev",
    query: CATALOG,
    variables: vars({ search: "dipirona\u0085" }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "catalog search NUL",
    as: "nurse@asky.dev",
    query: CATALOG,
    variables: vars({ search: NUL }),
    expect: "BAD_USER_INPUT",
    names: "search",
  },
  {
    name: "catalog after non-UUID id",
    as: "nurse@asky.dev",
    query: CATALOG,
    variables: vars({ after: cursor(["Dipirona", "not-a-uuid"]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "catalog after NUL sort key",
    as: "nurse@asky.dev",
    query: CATALOG,
    variables: vars({ after: cursor(["Dip\u0000", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "catalog after null sort key",
    as: "nurse@asky.dev",
    query: CATALOG,
    variables: vars({ after: cursor([null, someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "dispenser id not a UUID",
    as: "nurse@asky.dev",
    query: DISPENSER,
    variables: vars({ id: "PYX-UTI-01\u0000" }),
    expect: "null",
  },
  {
    name: "medication id not a UUID",
    as: "nurse@asky.dev",
    query: MEDICATION,
    variables: vars({ id: "'; drop table x; --" }),
    expect: "null",
  },
  {
    name: "dispenserByQr payload NUL",
    as: "pharmacist@asky.dev",
    query: BY_QR,
    variables: vars({ payload: "asky:dispenser:\u0000AAAAAAAAAAAAAAAAAAAAAAAA" }),
    expect: "null",
  },
  {
    name: "expiringLots ward ESC",
    as: "pharmacist@asky.dev",
    query: EXPIRING,
    variables: vars({ ward: ESC }),
    expect: "BAD_USER_INPUT",
    names: "ward",
  },
  {
    name: "expiringLots dispenserId not a UUID",
    as: "pharmacist@asky.dev",
    query: EXPIRING,
    variables: vars({ dispenserId: "x" }),
    expect: "NOT_FOUND",
  },
  {
    name: "createDispenser name C1",
    as: "admin@asky.dev",
    query: CREATE_DISPENSER,
    variables: newDispenser({ name: C1 }),
    expect: "BAD_USER_INPUT",
    names: "name",
  },
  {
    name: "createDispenser location lone surrogate",
    as: "admin@asky.dev",
    query: CREATE_DISPENSER,
    variables: newDispenser({ location: LONE_SURROGATE }),
    expect: "BAD_USER_INPUT",
    names: "location",
  },
  {
    name: "createDispenser floor tab",
    as: "admin@asky.dev",
    query: CREATE_DISPENSER,
    variables: newDispenser({ floor: TAB }),
    expect: "BAD_USER_INPUT",
    names: "floor",
  },
  {
    name: "updateDispenser id not a UUID",
    as: "admin@asky.dev",
    query: UPDATE_DISPENSER,
    variables: vars({ id: "x", input: { name: "Novo" } }),
    expect: "NOT_FOUND",
  },
  {
    name: "updateDispenser location DEL",
    as: "admin@asky.dev",
    query: UPDATE_DISPENSER,
    variables: () => ({ id: fixtures.cabinet, input: { location: DEL } }),
    expect: "BAD_USER_INPUT",
    names: "location",
  },
  {
    name: "createMedication name NUL",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ name: NUL }),
    expect: "BAD_USER_INPUT",
    names: "name",
  },
  {
    name: "createMedication therapeuticClass C1",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ therapeuticClass: "analgésico\u0090" }),
    expect: "BAD_USER_INPUT",
    names: "therapeuticClass",
  },
  {
    name: "createMedication unitCost 1e300",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ unitCost: 1e300 }),
    expect: "BAD_USER_INPUT",
    names: "unitCost",
  },
  {
    name: "createMedication controlList unknown list",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ controlList: "A9" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "createMedication controlList NUL",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ controlList: "A1\u0000" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "createMedication controlled without controlList",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ controlled: true }),
    expect: "BAD_USER_INPUT",
    names: "controlList",
  },
  {
    name: "createMedication controlled false with controlList",
    as: "admin@asky.dev",
    query: CREATE_MEDICATION,
    variables: newMedication({ controlled: false, controlList: "A1" }),
    expect: "BAD_USER_INPUT",
    names: "controlled",
  },
  {
    name: "updateMedication controlList lowercase",
    as: "admin@asky.dev",
    query: UPDATE_MEDICATION,
    variables: () => ({ id: fixtures.medication, input: { controlList: "b1" } }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "updateMedication controlled without controlList",
    as: "admin@asky.dev",
    query: UPDATE_MEDICATION,
    variables: () => ({ id: fixtures.medication, input: { controlled: true } }),
    expect: "BAD_USER_INPUT",
    names: "controlList",
  },
  {
    name: "updateMedication strength lone surrogate",
    as: "admin@asky.dev",
    query: UPDATE_MEDICATION,
    variables: () => ({ id: fixtures.medication, input: { strength: "10 mg\udfff" } }),
    expect: "BAD_USER_INPUT",
    names: "strength",
  },
  {
    name: "createMaterial description NUL",
    as: "admin@asky.dev",
    query: CREATE_MATERIAL,
    variables: vars({
      input: { code: unique("MAT-HOSTILE"), name: "Luva", unit: "par", unitCost: 1, description: "estéril\u0000" },
    }),
    expect: "BAD_USER_INPUT",
    names: "description",
  },
  {
    name: "adjustStock note NUL",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ note: NUL }),
    expect: "BAD_USER_INPUT",
    names: "note",
  },
  {
    name: "adjustStock note C1",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ note: "contagem\u0085" }),
    expect: "BAD_USER_INPUT",
    names: "note",
  },
  {
    name: "adjustStock lotNumber C1",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ lotNumber: "L\u009b1", expiresAt: "2030-01-01" }),
    expect: "BAD_USER_INPUT",
    names: "lotNumber",
  },
  {
    name: "adjustStock lotNumber lone surrogate",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ lotNumber: "L\ud8001", expiresAt: "2030-01-01" }),
    expect: "BAD_USER_INPUT",
    names: "lotNumber",
  },
  {
    name: "adjustStock expiresAt year 300000",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ lotNumber: "L-NEW", expiresAt: "300000-01-01" }),
    expect: "BAD_USER_INPUT",
    names: "expiresAt",
  },
  {
    name: "adjustStock expiresAt year -5000",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ lotNumber: "L-NEW", expiresAt: "-5000-01-01" }),
    expect: "BAD_USER_INPUT",
    names: "expiresAt",
  },
  {
    name: "adjustStock expiresAt extended date-time",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ lotNumber: "L-NEW", expiresAt: "+275000-01-01T00:00:00Z" }),
    expect: "BAD_USER_INPUT",
    names: "expiresAt",
  },
  {
    name: "adjustStock delta -2^31",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ delta: -(2 ** 31), reason: "COUNT_CORRECTION" }),
    expect: "BAD_USER_INPUT",
    names: "delta",
  },
  {
    name: "adjustStock delta 2^31",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ delta: 2 ** 31 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "adjustStock parLevel 2^31-1",
    as: "pharmacist@asky.dev",
    query: ADJUST,
    variables: adjust({ itemId: itemId("MED-PARACETAMOL-500-CP"), expiresAt: "2030-01-01", parLevel: 2 ** 31 - 1 }),
    expect: "BAD_USER_INPUT",
    names: "parLevel",
  },
  {
    name: "setParLevels parLevel 2^31-1",
    as: "pharmacist@asky.dev",
    query: PAR_LEVELS,
    variables: () => ({ dispenserId: fixtures.cabinet, itemId: dipirona, parLevel: 2 ** 31 - 1, minLevel: 0 }),
    expect: "BAD_USER_INPUT",
    names: "parLevel",
  },
  {
    name: "setParLevels minLevel -2^31",
    as: "pharmacist@asky.dev",
    query: PAR_LEVELS,
    variables: () => ({ dispenserId: fixtures.cabinet, itemId: dipirona, parLevel: 10, minLevel: -(2 ** 31) }),
    expect: "BAD_USER_INPUT",
    names: "minLevel",
  },
  {
    name: "setParLevels dispenserId not a UUID",
    as: "pharmacist@asky.dev",
    query: PAR_LEVELS,
    variables: vars({ dispenserId: "x", itemId: dipirona, parLevel: 10, minLevel: 2 }),
    expect: "NOT_FOUND",
  },

  // requests
  {
    name: "requests ward NUL",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ ward: "UTI-ADULTO\u0000" }),
    expect: "BAD_USER_INPUT",
    names: "ward",
  },
  {
    name: "requests ward C1 (nurse)",
    as: "nurse@asky.dev",
    query: REQUESTS,
    variables: vars({ ward: "UTI\u0085" }),
    expect: "BAD_USER_INPUT",
    names: "ward",
  },
  {
    name: "requests ward 10k characters",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ ward: "W".repeat(10_000) }),
    expect: "BAD_USER_INPUT",
    names: "ward",
  },
  {
    name: "requests dispenserId not a UUID",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ dispenserId: "x" }),
    expect: "BAD_USER_INPUT",
    names: "dispenserId",
  },
  {
    name: "requests first 2^31",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ first: 2 ** 31 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "requests after year 275000",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ after: cursor(["+275000-01-01T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "requests after year -5000",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ after: cursor(["-005000-01-01T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "requests after Feb 30",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ after: cursor(["2026-02-30T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "requests after text sort key",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ after: cursor(["Dipirona", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "requests after non-UUID id",
    as: "pharmacist@asky.dev",
    query: REQUESTS,
    variables: vars({ after: cursor(["2026-01-01T00:00:00.000Z", "x"]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "User.requests after year 275000",
    as: "nurse@asky.dev",
    query: MY_REQUESTS,
    variables: vars({ after: cursor(["+275000-01-01T00:00:00.000Z", someId]) }),
    expect: "BAD_USER_INPUT",
    names: "after",
  },
  {
    name: "request id not a UUID",
    as: "pharmacist@asky.dev",
    query: REQUEST,
    variables: vars({ id: "REQ-000001" }),
    expect: "null",
  },
  {
    name: "requestEvent id not a UUID",
    as: "pharmacist@asky.dev",
    query: REQUEST_EVENT,
    variables: vars({ id: "\u0000" }),
    expect: "null",
  },
  {
    name: "createRequest note NUL",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ note: NUL }),
    expect: "BAD_USER_INPUT",
    names: "note",
  },
  {
    name: "createRequest note C1",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ note: "urgente\u0085" }),
    expect: "BAD_USER_INPUT",
    names: "note",
  },
  {
    name: "createRequest note lone surrogate",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ note: LONE_SURROGATE }),
    expect: "BAD_USER_INPUT",
    names: "note",
  },
  {
    name: "createRequest idempotencyKey NUL",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ idempotencyKey: `${randomUUID()}\u0000` }),
    expect: "BAD_USER_INPUT",
    names: "idempotencyKey",
  },
  {
    name: "createRequest idempotencyKey newline",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ idempotencyKey: `${randomUUID()}\n` }),
    expect: "BAD_USER_INPUT",
    names: "idempotencyKey",
  },
  {
    name: "createRequest quantity 2^31",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ items: [{ itemId: dipirona, quantity: 2 ** 31 }] }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "createRequest quantity 2^31-1",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ items: [{ itemId: dipirona, quantity: 2 ** 31 - 1 }] }),
    expect: "BAD_USER_INPUT",
    names: "items.quantity",
  },
  {
    name: "createRequest itemId not a UUID",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ items: [{ itemId: "x", quantity: 1 }] }),
    expect: "BAD_USER_INPUT",
    names: "items.itemId",
  },
  {
    name: "createRequest dispenserId not a UUID",
    as: "nurse@asky.dev",
    query: CREATE_REQUEST,
    variables: newRequest({ dispenserId: "PYX-UTI-01" }),
    expect: "BAD_USER_INPUT",
    names: "dispenserId",
  },
  {
    name: "changeRequestStatus note NUL",
    as: "pharmacist@asky.dev",
    query: CHANGE_STATUS,
    variables: statusChange({ note: NUL }),
    expect: "BAD_USER_INPUT",
    names: "note",
  },
  {
    name: "changeRequestStatus reason ESC",
    as: "pharmacist@asky.dev",
    query: CHANGE_STATUS,
    variables: statusChange({ status: "REJECTED", reasonCode: "OTHER", reason: ESC }),
    expect: "BAD_USER_INPUT",
    names: "reason",
  },
  {
    name: "changeRequestStatus expectedVersion -2^31",
    as: "pharmacist@asky.dev",
    query: CHANGE_STATUS,
    variables: statusChange({ expectedVersion: -(2 ** 31) }),
    expect: "BAD_USER_INPUT",
    names: "expectedVersion",
  },
  {
    name: "changeRequestStatus expectedVersion 2^31",
    as: "pharmacist@asky.dev",
    query: CHANGE_STATUS,
    variables: statusChange({ expectedVersion: 2 ** 31 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "changeRequestStatus requestId not a UUID",
    as: "pharmacist@asky.dev",
    query: CHANGE_STATUS,
    variables: statusChange({ requestId: "REQ-000001" }),
    expect: "BAD_USER_INPUT",
    names: "requestId",
  },
  {
    name: "recordPick 1,000 lines",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: vars({
      input: { requestId: someId, expectedVersion: 1, lines: Array.from({ length: 1_000 }, () => pickLine({})) },
    }),
    expect: "BAD_USER_INPUT",
    names: "lines",
  },
  {
    // Past the gateway's body limit: refused before anything is parsed.
    name: "recordPick 10,000 lines",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: vars({
      input: { requestId: someId, expectedVersion: 1, lines: Array.from({ length: 10_000 }, () => pickLine({})) },
    }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "recordPick no lines",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({}, { lines: [] }),
    expect: "BAD_USER_INPUT",
    names: "lines",
  },
  {
    name: "recordPick quantity 2^31",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ quantity: 2 ** 31 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "recordPick quantity 2^31-1",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ quantity: 2 ** 31 - 1 }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].quantity",
  },
  {
    name: "recordPick quantity -1",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ quantity: -1 }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].quantity",
  },
  {
    name: "recordPick itemId not a UUID",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ itemId: "MED-DIPIRONA" }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].itemId",
  },
  {
    name: "recordPick substituteItemId not a UUID",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ substituteItemId: "x" }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].substituteItemId",
  },
  {
    name: "recordPick requestId not a UUID",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({}, { requestId: "REQ-000001" }),
    expect: "BAD_USER_INPUT",
    names: "requestId",
  },
  {
    name: "recordPick expectedVersion -2^31",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({}, { expectedVersion: -(2 ** 31) }),
    expect: "BAD_USER_INPUT",
    names: "expectedVersion",
  },
  {
    name: "recordPick note NUL",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ quantity: 0, reasonCode: "OTHER", note: NUL }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].note",
  },
  {
    name: "recordPick lotNumber NUL",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ lots: [pickLot({ lotNumber: NUL })] }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].lots[0].lotNumber",
  },
  {
    name: "recordPick lotNumber 10k characters",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ lots: [pickLot({ lotNumber: "L".repeat(10_000) })] }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].lots[0].lotNumber",
  },
  {
    name: "recordPick lot quantity -1",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ lots: [pickLot({ quantity: -1 })] }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].lots[0].quantity",
  },
  {
    name: "recordPick lot expiresAt Feb 30",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ lots: [pickLot({ expiresAt: "2030-02-30" })] }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].lots[0].expiresAt",
  },
  {
    name: "recordPick lot expiresAt year 275000",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ lots: [pickLot({ expiresAt: "275000-01-01" })] }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].lots[0].expiresAt",
  },
  {
    name: "recordPick 1,000 lots",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({ lots: Array.from({ length: 1_000 }, (_, i) => pickLot({ lotNumber: `L-${i}` })) }),
    expect: "BAD_USER_INPUT",
    names: "lines[0].lots",
  },
  {
    name: "recordPick unknown request",
    as: "pharmacist@asky.dev",
    query: RECORD_PICK,
    variables: recordPick({}, { requestId: someId }),
    expect: "NOT_FOUND",
  },
  {
    name: "confirmReceipt note NUL",
    as: "nurse@asky.dev",
    query: CONFIRM_RECEIPT,
    variables: () => receipt({ note: NUL }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "confirmReceipt quantityReceived beyond int4",
    as: "nurse@asky.dev",
    query: CONFIRM_RECEIPT,
    variables: () => receipt({ quantityReceived: 2 ** 31 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "confirmReceipt quantityReceived -1",
    as: "nurse@asky.dev",
    query: CONFIRM_RECEIPT,
    variables: () => receipt({ quantityReceived: -1 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "confirmReceipt itemId not a UUID",
    as: "nurse@asky.dev",
    query: CONFIRM_RECEIPT,
    variables: () => receipt({ itemId: "'; drop table requests.requests; --" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "confirmReceipt 1,000 lines",
    as: "nurse@asky.dev",
    query: CONFIRM_RECEIPT,
    variables: () => ({
      input: {
        requestId: fixtures.request,
        expectedVersion: 1,
        lines: Array.from({ length: 1_000 }, () => ({ itemId: dipirona, quantityReceived: 1 })),
      },
    }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "confirmReceipt witnessToken 100k characters",
    as: "nurse@asky.dev",
    query: CONFIRM_RECEIPT,
    variables: () => ({
      input: { requestId: fixtures.request, expectedVersion: 1, lines: [], witnessToken: "x".repeat(100_000) },
    }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "changeRequestStatus witnessToken lone surrogate",
    as: "pharmacist@asky.dev",
    query: CHANGE_STATUS,
    variables: statusChange({ witnessToken: LONE_SURROGATE }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "controlledBook from year 300000",
    as: "pharmacist@asky.dev",
    query: BOOK,
    variables: vars({ list: "A1", from: "+300000-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "controlledBook itemId not a UUID",
    as: "pharmacist@asky.dev",
    query: BOOK,
    variables: vars({ list: "A1", itemId: "1 or 1=1", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }),
    expect: "NOT_FOUND",
  },
  {
    name: "closeControlledBookPeriod month NUL",
    as: "pharmacist@asky.dev",
    query: CLOSE_BOOK,
    variables: vars({ month: `2026-01${"\u0000"}` }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "closeControlledBookPeriod month 13",
    as: "pharmacist@asky.dev",
    query: CLOSE_BOOK,
    variables: vars({ month: "2026-13" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "closeControlledBookPeriod month year 300000",
    as: "pharmacist@asky.dev",
    query: CLOSE_BOOK,
    variables: vars({ month: "300000-01" }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "turnaround ward C1",
    as: "pharmacist@asky.dev",
    query: TURNAROUND,
    variables: vars({ from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", ward: C1 }),
    expect: "BAD_USER_INPUT",
  },
  {
    name: "turnaround to year 300000",
    as: "pharmacist@asky.dev",
    query: TURNAROUND,
    variables: vars({ from: "2026-01-01T00:00:00Z", to: "+300000-01-01T00:00:00Z" }),
    expect: "BAD_USER_INPUT",
  },
];
let pool: pg.Pool;
/** Database time after the fixtures: rows created or touched since then were written by a case. */
let since: Date;

/**
 * What any case could have written: rows created or updated since the fixtures, and the state
 * of the fixture cabinet (stock, lots, ledger, requests). Background consumers never touch
 * these: the cabinet is new and stocked above its minimum.
 */
async function footprint(): Promise<unknown> {
  const { rows } = await pool.query(
    `select
      (select count(*) from users.users where created_at >= $1 or updated_at >= $1) as users,
      (select count(*) from users.audit_log where at >= $1) as audit,
      (select count(*) from users.login_attempts where at >= $1) as attempts,
      (select count(*) from dispensers.dispensers where created_at >= $1 or updated_at >= $1) as dispensers,
      (select count(*) from dispensers.catalog_items where created_at >= $1 or updated_at >= $1) as catalog,
      (select json_agg(json_build_object('q', quantity, 'par', par_level, 'min', min_level, 'at', updated_at) order by id)
         from dispensers.stock_levels where dispenser_id = $2) as stock,
      (select json_agg(json_build_object('lot', l.lot_number, 'q', l.quantity) order by l.id)
         from dispensers.stock_lots l join dispensers.stock_levels s on s.id = l.stock_level_id where s.dispenser_id = $2) as lots,
      (select count(*) from dispensers.stock_movements m join dispensers.stock_levels s on s.id = m.stock_level_id where s.dispenser_id = $2) as movements,
      (select json_agg(json_build_object('id', id, 'v', version, 'at', updated_at) order by id)
         from requests.requests where dispenser_id = $2) as requests`,
    [since, fixtures.cabinet],
  );
  return rows[0];
}

async function admin<TData>(
  query: string,
  variables: Record<string, unknown>,
  account: DemoAccount = "admin@asky.dev",
): Promise<TData> {
  const { body } = await gql<TData>(query, variables, { token: await demoToken(account) });
  if (body.errors?.length || !body.data) throw new Error(`fixture failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const caseIds = new Map<string, string>();

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: stack.adminDatabaseUrl, max: 2 });
  // Sign-ins write audit entries and login attempts: all of them before `since`.
  await Promise.all(
    (["admin@asky.dev", "pharmacist@asky.dev", "nurse@asky.dev"] as const).map((account) => demoToken(account)),
  );
  const cabinet = await admin<{ createDispenser: { id: string } }>(CREATE_DISPENSER, newDispenser({})());
  fixtures.cabinet = cabinet.createDispenser.id;
  await admin(
    ADJUST,
    { input: { ...adjust({ delta: 10, expiresAt: "2030-01-01", parLevel: 10, minLevel: 2 })().input } },
    "pharmacist@asky.dev",
  );
  const medication = await admin<{ createMedication: { id: string } }>(CREATE_MEDICATION, newMedication({})());
  fixtures.medication = medication.createMedication.id;
  const request = await admin<{ createRequest: { id: string } }>(CREATE_REQUEST, newRequest({})(), "nurse@asky.dev");
  fixtures.request = request.createRequest.id;
  fixtures.user = (await createUser("PHARMACIST")).id;
  since = (await pool.query<{ now: Date }>("select clock_timestamp() as now")).rows[0]!.now;
});

afterAll(async () => {
  await pool?.end();
});

function describeErrors(body: GraphQLResponse<unknown>): string {
  return JSON.stringify(body.errors ?? body.data);
}

describe("hostile input through the gateway", () => {
  it.each(cases)("$name → $expect", async (testCase) => {
    const before = await footprint();
    const requestId = `hostile-${randomUUID()}`;
    caseIds.set(requestId, testCase.name);
    const token = testCase.as ? await demoToken(testCase.as) : undefined;
    const { body } = await gql(testCase.query, testCase.variables(), { token, requestId });

    const codes = (body.errors ?? []).map((error) => error.extensions?.code);
    if (testCase.expect === "null") {
      expect(body.errors, describeErrors(body)).toBeUndefined();
      expect(Object.values(body.data ?? {})).toEqual([null]);
    } else {
      expect(codes.length, describeErrors(body)).toBeGreaterThan(0);
      expect(new Set(codes), describeErrors(body)).toEqual(new Set([testCase.expect]));
      if (testCase.names !== undefined) {
        const error = body.errors![0]!.extensions ?? {};
        expect(error.argument ?? error.field, describeErrors(body)).toBe(testCase.names);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it("accepts line breaks and tabs in multi-line notes, and text with accents", async () => {
    const { createRequest } = await admin<{ createRequest: { note: string } }>(
      `mutation($input: CreateRequestInput!) { createRequest(input: $input) { note } }`,
      newRequest({ note: "Paciente do leito 4:\r\n\tdor às 3h  " })(),
      "nurse@asky.dev",
    );
    expect(createRequest.note).toBe("Paciente do leito 4:\n\tdor às 3h");
    const { catalog } = await admin<{ catalog: { totalCount: number } }>(
      CATALOG,
      { search: "Dipirona Sódica" },
      "nurse@asky.dev",
    );
    expect(catalog.totalCount).toBeGreaterThan(0);
  });

  it("logged none of the cases as an unexpected error in any service", async () => {
    const faults = (await serviceLogLines())
      .flatMap((line) => [...caseIds].filter(([id]) => line.includes(id)).map(([, name]) => ({ name, line })))
      .filter(({ line }) => line.includes("unexpected error") || /"level":(50|60)/.test(line))
      .map(({ name, line }) => `${name}: ${line.slice(0, 300)}`);
    expect(caseIds.size).toBe(cases.length);
    expect(faults).toEqual([]);
  });
});
