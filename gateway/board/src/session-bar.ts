/** The page's header: who is signed in, whether the live feed is connected, and Sair. */
import { h } from "./dom.js";
import type { AskyClient } from "./types.js";

export type FeedState = "live" | "reconnecting" | "stopped";

const feedText: Readonly<Record<FeedState, string>> = {
  live: "",
  reconnecting: "reconectando…",
  stopped: "atualização ao vivo interrompida; recarregue a página",
};

export interface SessionBar {
  element: HTMLElement;
  setFeedState(state: FeedState): void;
}

export function sessionBar(client: AskyClient, title: string, signedOut: () => void): SessionBar {
  const viewer = client.viewer;
  // Discreet on purpose: the board keeps showing what it knows while the feed comes back.
  const connection = h("span", { class: "connection", role: "status", "data-state": "live" });
  const signOut = h("button", { type: "button", class: "link" }, "Sair");
  signOut.addEventListener("click", () => {
    signOut.disabled = true;
    // Signed out locally whatever the server answers: the tokens are gone from this browser.
    client.signOut().then(signedOut, signedOut);
  });
  const element = h(
    "header",
    { class: "session-bar" },
    h("h1", {}, title),
    connection,
    h("span", { class: "viewer" }, viewer ? viewer.fullName : ""),
    signOut,
  );
  return {
    element,
    setFeedState(state) {
      connection.dataset.state = state;
      connection.textContent = feedText[state];
    },
  };
}
