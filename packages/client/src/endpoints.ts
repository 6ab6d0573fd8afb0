/** The subscription endpoints next to the HTTP one: ws(s)://…/graphql and …/graphql/stream. */
export function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

export function streamUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/stream`;
  return url.toString();
}
