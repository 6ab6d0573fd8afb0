/**
 * The subscription endpoints next to the HTTP one: ws(s)://…/graphql and …/graphql/stream.
 * A relative URL ("/graphql") is read against the page's address in a browser.
 */
function absolute(httpUrl: string): URL {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return base ? new URL(httpUrl, base) : new URL(httpUrl);
}

export function webSocketUrl(httpUrl: string): string {
  const url = absolute(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export function streamUrl(httpUrl: string): string {
  const url = absolute(httpUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/stream`;
  return url.toString();
}
