/**
 * The reference ward board: sign in, then a nurse's ward board or the pharmacy's queue by
 * role. Everything goes through @asky/client against the gateway that served the page.
 */
import { createAskyClient, localStorageTokens } from "@asky/client";
import { pharmacyView } from "./pharmacy-view.js";
import { nurseView } from "./nurse-view.js";
import { signInView } from "./sign-in-view.js";
import { assertNever } from "./types.js";
import "./styles.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app");

// ?transport=sse: live updates over Server-Sent Events, for networks whose proxies break WebSockets.
const transport = new URLSearchParams(window.location.search).get("transport") === "sse" ? "sse" : "ws";

const client = createAskyClient({
  url: new URL("/graphql", window.location.href).href,
  transport,
  // Tabs share the tokens (and one refresh at a time across them, through Web Locks).
  storage: localStorageTokens(),
});

let leave: (() => void) | null = null;

function show(): void {
  leave?.();
  const viewer = client.viewer;
  if (!viewer) {
    leave = signInView(root!, client, show);
    return;
  }
  switch (viewer.role) {
    case "NURSE":
      leave = viewer.ward ? nurseView(root!, client, viewer.ward, show) : signInView(root!, client, show);
      break;
    case "PHARMACIST":
    case "PHARMACY_TECHNICIAN":
    case "ADMIN":
      leave = pharmacyView(root!, client, show);
      break;
    default:
      assertNever(viewer.role);
  }
}

// The refresh token was refused (revoked, reused, expired): back to the sign-in form.
client.onSessionEnd(show);
show();
