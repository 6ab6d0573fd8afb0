/**
 * The reference ward board in a real headless Chromium, against a gateway and a users service
 * of this test's own (the shared stack's are never restarted): a nurse signs in, creates a
 * request and sees the pharmacy accept it; the gateway is restarted and the board shows what
 * happened meanwhile and the next change, each event once; her 30-second access token expires
 * and the board keeps working without asking her to sign in again.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asGateway,
  DEMO_PASSWORD,
  startExtraGateway,
  startReplica,
  type ExtraGateway,
  type Replica,
} from "@asky/stack/testing";
import { dispenserId, itemId } from "@asky/db/seed/ids";
import { ensureBoardBuilt } from "./support/board-build.js";
import { launchChromium } from "./support/chromium.js";
import { startFrontDoor, type FrontDoor } from "./support/front-door.js";

const TOKEN_TTL_SECONDS = 30;
/** The verifiers' clock tolerance (ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS) and a little more. */
const PAST_EXPIRY_MS = 7_000;
const pharmacy = asGateway("pharmacist@asky.dev");
const nurseApi = asGateway("nurse@asky.dev");

let browser: Browser | undefined;
let browserUnavailable: string | null = "not started";
let users: Replica | undefined;
let gateway: ExtraGateway | undefined;
let front: FrontDoor | undefined;

beforeAll(async () => {
  await ensureBoardBuilt();
  const launched = await launchChromium();
  if ("unavailable" in launched) {
    browserUnavailable = launched.unavailable;
    return;
  }
  [browser, browserUnavailable] = [launched.browser, null];
  // Sign-in and refresh go to this users service: the stack's database and keys, short tokens.
  users = await startReplica("users", { ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS), LOG_LEVEL: "warn" });
  gateway = await startExtraGateway({ USERS_URL: users.url });
  // The page keeps one origin while the gateway behind it is restarted, as behind a load balancer.
  front = await startFrontDoor(gateway.url);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await front?.close();
  await stopGateway();
  await users?.stop();
}, 60_000);

async function stopGateway(): Promise<void> {
  const running = gateway;
  gateway = undefined;
  if (!running || running.process.exitCode !== null) return;
  const exited = new Promise((resolve) => running.process.once("exit", resolve));
  running.stop();
  await exited;
}

/** The gateway stops; nothing answers at the page's origin until a new one is started. */
async function cutGateway(): Promise<void> {
  front!.retarget(null);
  await stopGateway();
}

async function restoreGateway(): Promise<void> {
  gateway = await startExtraGateway({ USERS_URL: users!.url });
  front!.retarget(gateway.url);
}

interface Session {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for, WebSockets included. */
  requests: string[];
  problems: string[];
}

async function openBoard(transport: "ws" | "sse" = "ws"): Promise<Session> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  const session: Session = { context, page, requests: [], problems: [] };
  context.on("request", (request) => session.requests.push(request.url()));
  page.on("websocket", (socket) => session.requests.push(socket.url()));
  page.on("pageerror", (error) => session.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) session.problems.push(message.text());
  });
  await page.goto(`${front!.origin}/board/${transport === "sse" ? "?transport=sse" : ""}`, { waitUntil: "load" });
  return session;
}

async function signIn(page: Page, email: string): Promise<void> {
  const form = page.getByRole("form", { name: "Entrar" });
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Senha").fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Entrar" }).click();
}

/** Creates a request through the page's form; returns its number. */
async function createOnBoard(page: Page, quantity: number): Promise<string> {
  const form = page.getByRole("form", { name: "Nova solicitação" });
  await expect.poll(() => form.locator("#dispenser option").count(), { timeout: 20_000 }).toBeGreaterThan(0);
  await form.getByLabel("Buscar item").fill("Dipirona Sódica 500 mg comprimido");
  const option = form.locator("#item option", { hasText: "500 mg comprimido" }).first();
  await option.waitFor({ state: "attached", timeout: 20_000 });
  await form.getByLabel("Item", { exact: true }).selectOption((await option.getAttribute("value"))!);
  await form.getByLabel("Quantidade").fill(String(quantity));
  await form.getByLabel("Prioridade").selectOption({ label: "Urgente" });
  await form.getByRole("button", { name: "Solicitar" }).click();
  const outcome = form.locator(".outcome");
  await expect.poll(() => outcome.textContent(), { timeout: 20_000 }).toMatch(/Solicitação \S+ criada\./);
  return /Solicitação (\S+) criada\./.exec((await outcome.textContent()) ?? "")![1]!;
}

const row = (page: Page, number: string) => page.locator(`.requests li[data-number="${number}"]`);
async function rowStatus(page: Page, number: string): Promise<string | null> {
  const found = row(page, number);
  return (await found.count()) === 0 ? null : found.first().getAttribute("data-status");
}

/** A row's status in the pharmacy's queue, asking for one more page while it is not shown. */
async function queueStatus(page: Page, number: string): Promise<string | null> {
  const status = await rowStatus(page, number);
  const more = page.getByRole("button", { name: "Mostrar mais" });
  if (status === null && (await more.isVisible())) await more.click();
  return status;
}

/** The lifecycle lines of one request in the live feed, in arrival order (SLA clock lines left out). */
function timelineOf(page: Page, number: string): Promise<string[]> {
  return page
    .locator(`.timeline li[data-number="${number}"]`)
    .evaluateAll((lines) =>
      lines
        .map((line) => `${line.getAttribute("data-type")}:${line.getAttribute("data-status")}`)
        .filter((line) => line.startsWith("CREATED:") || line.startsWith("STATUS_CHANGED:")),
    );
}

async function requestIdOf(page: Page, number: string): Promise<string> {
  return (await row(page, number).getAttribute("data-request-id"))!;
}

/** The pharmacy moves a request on through the shared stack's gateway (not the page's). */
async function advance(requestId: string, status: string): Promise<void> {
  const { request } = await pharmacy.ok<{ request: { version: number } }>(
    `query($id: ID!) { request(id: $id) { version } }`,
    { id: requestId },
  );
  await pharmacy.ok(`mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id } }`, {
    input: { requestId, status, expectedVersion: request.version },
  });
}

interface StoredSession {
  accessToken: string;
  accessTokenExpiresAt: string;
}

async function storedSession(page: Page): Promise<StoredSession> {
  // Where the page keeps its session (localStorageTokens' default key).
  const text = await page.evaluate(() =>
    (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
      "asky.session",
    ),
  );
  return JSON.parse(text ?? "null") as StoredSession;
}

describe("ward board in Chromium", () => {
  it.for(["ws", "sse"] as const)(
    "shows a nurse's request live through acceptance, a gateway restart and her token expiring (%s)",
    { timeout: 300_000 },
    async (transport, ctx) => {
      if (browserUnavailable) ctx.skip(`no browser: ${browserUnavailable}`);
      const session = await openBoard(transport);
      const { page } = session;
      const pageHost = new URL(front!.origin).host;
      try {
        await signIn(page, "nurse@asky.dev");
        await page.getByRole("heading", { name: "Painel da ala UTI-ADULTO" }).waitFor({ timeout: 20_000 });
        const first = await storedSession(page);
        // The users service behind this gateway issues short tokens (ACCESS_TOKEN_TTL_SECONDS).
        expect(Date.parse(first.accessTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(TOKEN_TTL_SECONDS * 1_000);

        // Created on the board, accepted by the pharmacy: the row and the feed follow.
        const number = await createOnBoard(page, 2);
        await expect.poll(() => rowStatus(page, number), { timeout: 20_000 }).toBe("PENDING");
        const id = await requestIdOf(page, number);
        await advance(id, "ACCEPTED");
        await expect.poll(() => rowStatus(page, number), { timeout: 20_000 }).toBe("ACCEPTED");
        await expect
          .poll(() => timelineOf(page, number), { timeout: 20_000 })
          .toEqual(["CREATED:PENDING", "STATUS_CHANGED:ACCEPTED"]);

        // The network is cut: the gateway stops, the board says so, and the pharmacy goes on.
        await cutGateway();
        await expect
          .poll(() => page.locator(".connection").getAttribute("data-state"), { timeout: 30_000 })
          .toBe("reconnecting");
        expect(await page.locator(".connection").textContent()).toBe("reconectando…");
        await advance(id, "PREPARING");
        await restoreGateway();

        // Back: what happened meanwhile, once, and then the next change.
        await expect.poll(() => rowStatus(page, number), { timeout: 60_000 }).toBe("PREPARING");
        // The SDK's connection state clears the notice when the transport is back.
        await expect.poll(() => page.locator(".connection").getAttribute("data-state")).toBe("live");
        expect(await page.locator(".connection").textContent()).toBe("");
        const second = await nurseApi.ok<{ createRequest: { id: string; number: string } }>(
          `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id number } }`,
          {
            input: {
              kind: "MEDICATION",
              priority: "ROUTINE",
              dispenserId: dispenserId("PYX-UTI-01"),
              items: [{ itemId: itemId("MED-DIPIRONA-500-CP"), quantity: 1 }],
            },
          },
        );
        await advance(second.createRequest.id, "ACCEPTED");
        await expect
          .poll(() => timelineOf(page, second.createRequest.number), { timeout: 20_000 })
          .toEqual(["CREATED:PENDING", "STATUS_CHANGED:ACCEPTED"]);
        expect(await timelineOf(page, number)).toEqual([
          "CREATED:PENDING",
          "STATUS_CHANGED:ACCEPTED",
          "STATUS_CHANGED:PREPARING",
        ]);

        // Her first access token runs out (30 s): the board goes on, refreshed behind her back.
        const expired = Date.parse(first.accessTokenExpiresAt) + PAST_EXPIRY_MS - Date.now();
        if (expired > 0) await new Promise((resolve) => setTimeout(resolve, expired));
        await advance(second.createRequest.id, "PREPARING");
        await expect
          .poll(() => timelineOf(page, second.createRequest.number), { timeout: 30_000 })
          .toEqual(["CREATED:PENDING", "STATUS_CHANGED:ACCEPTED", "STATUS_CHANGED:PREPARING"]);
        const third = await createOnBoard(page, 1);
        await expect.poll(() => rowStatus(page, third), { timeout: 20_000 }).toBe("PENDING");
        expect(await page.getByRole("form", { name: "Entrar" }).count()).toBe(0);
        expect((await storedSession(page)).accessToken).not.toBe(first.accessToken);
        // Each event of the first request still once, after the restart and the refresh.
        expect(await timelineOf(page, number)).toEqual([
          "CREATED:PENDING",
          "STATUS_CHANGED:ACCEPTED",
          "STATUS_CHANGED:PREPARING",
        ]);

        const foreign = session.requests.filter((url) => new URL(url).host !== pageHost);
        expect(foreign).toEqual([]);
        // The live feed went over the transport asked for: WebSockets, or none at all.
        const sockets = session.requests.filter((url) => url.startsWith("ws:"));
        if (transport === "ws") expect(sockets.length).toBeGreaterThan(0);
        else expect(sockets).toEqual([]);
        expect(session.problems).toEqual([]);
      } finally {
        await session.context.close();
      }
    },
  );

  it("shows the pharmacist the queue, past due first, live", async (ctx) => {
    if (browserUnavailable) ctx.skip(`no browser: ${browserUnavailable}`);
    const session = await openBoard();
    const { page } = session;
    try {
      await signIn(page, "pharmacist@asky.dev");
      await page.getByRole("heading", { name: "Fila da farmácia" }).waitFor({ timeout: 20_000 });
      await expect.poll(() => page.locator(".requests li").count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const created = await nurseApi.ok<{ createRequest: { id: string; number: string } }>(
        `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id number } }`,
        {
          input: {
            kind: "MEDICATION",
            priority: "STAT",
            dispenserId: dispenserId("PYX-UTI-01"),
            items: [{ itemId: itemId("MED-DIPIRONA-500-CP"), quantity: 3 }],
          },
        },
      );
      const { number } = created.createRequest;
      // Past-due requests of other tests may fill the first page: read on until it shows.
      await expect.poll(() => queueStatus(page, number), { timeout: 30_000 }).toBe("PENDING");
      await expect.poll(() => timelineOf(page, number), { timeout: 20_000 }).toEqual(["CREATED:PENDING"]);
      // The server's order: every breached request before any other.
      const breached = await page
        .locator(".requests li")
        .evaluateAll((lines) => lines.map((line) => line.classList.contains("breached")));
      expect(breached).toEqual([...breached].sort((a, b) => Number(b) - Number(a)));
      await advance(created.createRequest.id, "ACCEPTED");
      await expect.poll(() => queueStatus(page, number), { timeout: 20_000 }).toBe("ACCEPTED");
      expect(await timelineOf(page, number)).toEqual(["CREATED:PENDING", "STATUS_CHANGED:ACCEPTED"]);
      expect(session.problems).toEqual([]);
    } finally {
      await session.context.close();
    }
  }, 120_000);

  it("tells a wrong password in pt-BR, and goes back to sign-in when the session is revoked elsewhere", async (ctx) => {
    if (browserUnavailable) ctx.skip(`no browser: ${browserUnavailable}`);
    const session = await openBoard();
    const { page } = session;
    try {
      const form = page.getByRole("form", { name: "Entrar" });
      await form.getByLabel("E-mail").fill("nurse.peds@asky.dev");
      await form.getByLabel("Senha").fill("not-the-password");
      await form.getByRole("button", { name: "Entrar" }).click();
      await expect
        .poll(() => form.getByRole("alert").textContent(), { timeout: 20_000 })
        .toBe("E-mail ou senha incorretos.");

      await signIn(page, "nurse.peds@asky.dev");
      await page.getByRole("heading", { name: "Painel da ala PEDIATRIA" }).waitFor({ timeout: 20_000 });
      // Settled: the page's first reads (each may rotate the tokens) are done before the token is read.
      await page.locator("#item[data-results]").waitFor({ state: "attached", timeout: 20_000 });
      await expect.poll(() => page.locator("#dispenser option").count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const { refreshToken } = JSON.parse(
        (await page.evaluate(() =>
          (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
            "asky.session",
          ),
        )) ?? "null",
      ) as { refreshToken: string };
      // Signed out from another device: the gateway ends her socket and the refresh is refused.
      await asGateway(null).ok(`mutation($token: String!) { logout(refreshToken: $token) }`, { token: refreshToken });
      await page.getByRole("form", { name: "Entrar" }).waitFor({ timeout: 30_000 });
      expect(await storedSession(page)).toBeNull();
      expect(session.problems).toEqual([]);
    } finally {
      await session.context.close();
    }
  }, 120_000);
});
