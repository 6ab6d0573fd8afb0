/**
 * The self-hosted GraphiQL explorer at GET /graphql: served with a strict CSP, every file it
 * names served from the gateway itself, nothing in the build pointing a browser at another
 * host, and — in a real headless Chromium — a page that loads only from the gateway, signs
 * in, runs a query and (once the gateway speaks graphql-ws) a subscription.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, demoToken, gql, testStack } from "@asky/stack/testing";
import { launchChromium } from "./support/chromium.js";
import { ensureExplorerBuilt } from "./support/explorer-build.js";

const stack = testStack();
const gatewayHost = new URL(stack.gatewayUrl).host;

beforeAll(ensureExplorerBuilt, 180_000);

/** Whether the gateway accepts a graphql-ws WebSocket at /graphql yet (another piece of work). */
function acceptsWebSockets(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(stack.gatewayUrl.replace(/^http/, "ws"), "graphql-transport-ws");
    const done = (reason: string | null) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => undefined);
      socket.terminate();
      resolve(reason);
    };
    const timer = setTimeout(() => done("no answer to a WebSocket upgrade within 5 s"), 5_000);
    socket.once("open", () => done(null));
    socket.once("unexpected-response", (_req, res) => done(`the upgrade was answered with HTTP ${res.statusCode}`));
    socket.once("error", (error) => done(`the upgrade failed: ${error.message}`));
  });
}

let browser: Browser | undefined;
let browserUnavailable: string | null = "not started";

describe("explorer in Chromium", () => {
  beforeAll(async () => {
    const launched = await launchChromium();
    if ("unavailable" in launched) browserUnavailable = launched.unavailable;
    else [browser, browserUnavailable] = [launched.browser, null];
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  interface Session {
    context: BrowserContext;
    page: Page;
    /** Every URL the page (and its workers) asked for, WebSockets included. */
    requests: string[];
    problems: string[];
    socketFrames: string[];
  }

  async function openExplorer(): Promise<Session> {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const session: Session = { context, page, requests: [], problems: [], socketFrames: [] };
    context.on("request", (request) => session.requests.push(request.url()));
    page.on("websocket", (socket) => {
      session.requests.push(socket.url());
      socket.on("framesent", (frame) => session.socketFrames.push(`> ${String(frame.payload)}`));
      socket.on("framereceived", (frame) => session.socketFrames.push(`< ${String(frame.payload)}`));
    });
    page.on("pageerror", (error) => session.problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || /Content.Security.Policy/i.test(message.text()))
        session.problems.push(message.text());
    });
    await page.goto(stack.gatewayUrl, { waitUntil: "load" });
    await page.locator(".graphiql-query-editor .monaco-editor").first().waitFor({ timeout: 30_000 });
    // The schema came in over introspection: the docs can show the root types.
    const showDocs = page.getByRole("button", { name: "Show Documentation Explorer" });
    if (await showDocs.count()) await showDocs.click();
    await page
      .locator(".graphiql-doc-explorer")
      .getByText("Query", { exact: true })
      .first()
      .waitFor({ timeout: 30_000 });
    return session;
  }

  function expectOnlyGateway(session: Session): void {
    const foreign = session.requests.filter((url) => {
      const parsed = new URL(url);
      if (parsed.protocol === "data:" || parsed.protocol === "blob:") return false;
      return parsed.host !== gatewayHost;
    });
    expect(foreign).toEqual([]);
    expect(session.requests.length).toBeGreaterThan(5);
  }

  const QUERY_EDITOR = ".graphiql-query-editor";
  const HEADERS_EDITOR = '.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)';

  async function editorText(page: Page, selector: string): Promise<string> {
    const text = (await page.locator(`${selector} .view-lines`).first().textContent()) ?? "";
    return text.replace(/\u00a0/g, " ");
  }

  async function replaceEditor(page: Page, selector: string, text: string): Promise<void> {
    const editor = page.locator(`${selector} .monaco-editor`).first();
    await editor.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Delete");
    // insertText types no keys, so Monaco's bracket completion and suggestions stay out of it.
    await page.keyboard.insertText(text);
    // GraphiQL reads the operation (and its name) from the editor after a short debounce.
    await page.waitForTimeout(600);
  }

  const responseText = (page: Page) => editorText(page, ".graphiql-response");

  async function execute(page: Page): Promise<void> {
    await page.locator(".graphiql-execute-button").click();
  }

  it("loads only from the gateway, signs in and runs a query", async (ctx) => {
    if (browserUnavailable) ctx.skip(`no browser: ${browserUnavailable}`);
    const session = await openExplorer();
    const { page } = session;
    try {
      // Sign in with the sidebar helper: it calls `login` and puts the token in the headers editor.
      await page.getByRole("button", { name: "Show Sign in" }).click();
      const form = page.getByRole("form", { name: "Sign in" });
      await form.getByLabel("Email").fill("pharmacist@asky.dev");
      await form.getByLabel("Password").fill(DEMO_PASSWORD);
      await form.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Signed in as").waitFor({ timeout: 15_000 });
      await expect.poll(() => editorText(page, HEADERS_EDITOR)).toContain('"Authorization": "Bearer ey');

      await replaceEditor(
        page,
        QUERY_EDITOR,
        "{ requests(first: 3) { edges { node { number status dispenser { name } } } } }",
      );
      await execute(page);
      await expect.poll(() => responseText(page), { timeout: 20_000 }).toContain('"requests"');
      const result = await responseText(page);
      expect(result).toContain('"number": "');
      expect(result).toContain('"dispenser"');
      expect(result).not.toContain('"errors"');

      expectOnlyGateway(session);
      expect(session.problems).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it("takes a pasted token from the headers editor", async (ctx) => {
    if (browserUnavailable) ctx.skip(`no browser: ${browserUnavailable}`);
    const token = await demoToken("nurse@asky.dev");
    const session = await openExplorer();
    const { page } = session;
    try {
      await replaceEditor(page, QUERY_EDITOR, "{ me { email role ward } }");
      await execute(page);
      await expect.poll(() => responseText(page), { timeout: 20_000 }).toContain("UNAUTHENTICATED");

      await replaceEditor(page, HEADERS_EDITOR, `{ "Authorization": "Bearer ${token}" }`);
      await execute(page);
      await expect.poll(() => responseText(page), { timeout: 20_000 }).toContain('"email": "nurse@asky.dev"');
      expectOnlyGateway(session);
      expect(session.problems.filter((problem) => !/401|Unauthorized/i.test(problem))).toEqual([]);
    } finally {
      await session.context.close();
    }
  });

  it("runs a subscription over graphql-ws with the token as connectionParams", async (ctx) => {
    if (browserUnavailable) ctx.skip(`no browser: ${browserUnavailable}`);
    const noSockets = await acceptsWebSockets();
    if (noSockets) ctx.skip(`the gateway does not accept WebSocket upgrades yet (${noSockets})`);
    const pharmacist = await demoToken("pharmacist@asky.dev");
    const nurse = await demoToken("nurse@asky.dev");
    const { body: schema } = await gql<{
      subscription: { fields: { name: string }[] } | null;
      mutation: { fields: { name: string }[] } | null;
    }>(
      `{ subscription: __type(name: "Subscription") { fields { name } } mutation: __type(name: "Mutation") { fields { name } } }`,
      {},
      { token: pharmacist },
    );
    const subscriptionFields = schema.data?.subscription?.fields.map((field) => field.name) ?? [];
    const mutationFields = schema.data?.mutation?.fields.map((field) => field.name) ?? [];
    if (!subscriptionFields.includes("requestEvents") || !mutationFields.includes("changeRequestStatus")) {
      ctx.skip("the supergraph has no requestEvents subscription or changeRequestStatus mutation yet");
    }

    // A control subscriber next to the page: when it gets no event either, the gateway does
    // not deliver events yet (gateway/tests/subscriptions.test.ts covers that), not the explorer.
    const control = createClient({
      url: stack.gatewayUrl.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${pharmacist}` },
    });
    const controlEvents: string[] = [];
    control.subscribe(
      { query: EVENTS_SUBSCRIPTION },
      { next: (value) => controlEvents.push(JSON.stringify(value)), error: () => undefined, complete: () => undefined },
    );

    const session = await openExplorer();
    const { page } = session;
    try {
      await replaceEditor(page, HEADERS_EDITOR, `{ "Authorization": "Bearer ${pharmacist}" }`);
      await replaceEditor(page, QUERY_EDITOR, EVENTS_SUBSCRIPTION);
      await execute(page);
      // Subscribed once the gateway acknowledged the connection and got our subscribe message.
      await expect
        .poll(() => session.socketFrames.some((frame) => frame.startsWith("<") && frame.includes("connection_ack")), {
          timeout: 15_000,
        })
        .toBe(true);
      await expect
        .poll(() => session.socketFrames.some((frame) => frame.startsWith(">") && frame.includes('"subscribe"')))
        .toBe(true);
      const init = session.socketFrames.find((frame) => frame.includes("connection_init")) ?? "";
      expect(init).toContain(`"authorization":"Bearer ${pharmacist}"`);
      // graphql-ws does not acknowledge a subscribe; give the gateway a moment to set it up.
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const number = await triggerRequestEvent(pharmacist, nurse);
      const arrived = await expect
        .poll(() => responseText(page), { timeout: 20_000 })
        .toContain(number)
        .then(
          () => true,
          () => false,
        );
      if (!arrived && !controlEvents.some((event) => event.includes(number))) {
        ctx.skip(
          `the gateway accepts graphql-ws but delivered no requestEvents event for ${number} within 20 s, ` +
            "to the page or to a plain graphql-ws client (gateway subscription work not finished)",
        );
      }
      if (!arrived) {
        throw new Error(
          `a plain graphql-ws client got the event for ${number} but the page did not; WebSocket frames:\n` +
            session.socketFrames.map((frame) => frame.slice(0, 300)).join("\n"),
        );
      }
      expect(await responseText(page)).toContain('"requestEvents"');
      await execute(page); // the execute button stops a running subscription
      expectOnlyGateway(session);
    } finally {
      await session.context.close();
      await control.dispose();
    }
  });
});

const EVENTS_SUBSCRIPTION = "subscription { requestEvents { type status request { number } } }";

/**
 * Makes a request event and returns the request's number: the pharmacy accepts a PENDING
 * request of the seed (or, when none is left, a nurse asks for a medication).
 */
async function triggerRequestEvent(pharmacist: string, nurse: string): Promise<string> {
  const { body } = await gql<{ requests: { edges: { node: { id: string; number: string; version: number } }[] } }>(
    `{ requests(first: 1, status: [PENDING]) { edges { node { id number version } } } }`,
    {},
    { token: pharmacist },
  );
  const pending = body.data?.requests.edges[0]?.node;
  if (pending) {
    const changed = await gql<{ changeRequestStatus: { status: string } }>(
      `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { status } }`,
      { input: { requestId: pending.id, status: "ACCEPTED", expectedVersion: pending.version } },
      { token: pharmacist },
    );
    if (changed.body.data?.changeRequestStatus.status !== "ACCEPTED") {
      throw new Error(`changeRequestStatus failed: ${JSON.stringify(changed.body.errors)}`);
    }
    return pending.number;
  }
  return createRequestAs(nurse);
}

/** A new MEDICATION request in the nurse's ward; returns its number. */
async function createRequestAs(token: string): Promise<string> {
  const { body } = await gql<{
    me: { ward: string };
    dispensers: { edges: { node: { id: string; status: string } }[] };
    catalog: { edges: { node: { id: string } }[] };
  }>(
    `{ me { ward } dispensers(first: 20) { edges { node { id status } } } catalog(kind: MEDICATION, first: 1) { edges { node { id } } } }`,
    {},
    { token },
  );
  const dispenser = body.data?.dispensers.edges.find((edge) => edge.node.status === "ONLINE");
  const item = body.data?.catalog.edges[0];
  if (!dispenser || !item)
    throw new Error(`no ONLINE dispenser or medication for the nurse: ${JSON.stringify(body.errors)}`);
  const created = await gql<{ createRequest: { number: string } }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { number } }`,
    {
      input: {
        kind: "MEDICATION",
        priority: "ROUTINE",
        dispenserId: dispenser.node.id,
        items: [{ itemId: item.node.id, quantity: 1 }],
        note: "explorer test",
      },
    },
    { token },
  );
  const number = created.body.data?.createRequest.number;
  if (!number) throw new Error(`createRequest failed: ${JSON.stringify(created.body.errors)}`);
  return number;
}
