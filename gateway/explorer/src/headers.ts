import { tryParseJSONC } from "@graphiql/react";

/** What the headers editor holds when a tab opens: the way to sign in, as comments (JSONC). */
export const HEADERS_HINT = `{
  // Paste an access token here, or use "Sign in" (key icon, left sidebar):
  // "Authorization": "Bearer <accessToken>"
  // Subscriptions send the same token as connectionParams.authorization.
}
`;

/** The headers editor's content with Authorization set (or removed when token is null); other headers are kept. */
export function withAuthorization(current: string, token: string | null, comment?: string): string {
  let headers: Record<string, unknown> = {};
  try {
    const parsed: unknown = tryParseJSONC(current);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) headers = parsed as Record<string, unknown>;
  } catch {
    // Unparseable content is replaced: the user asked to sign in or out.
  }
  const others = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
  if (token === null) return Object.keys(others).length ? `${JSON.stringify(others, null, 2)}\n` : HEADERS_HINT;
  const body = JSON.stringify({ Authorization: `Bearer ${token}`, ...others }, null, 2);
  return comment ? `${body.replace("{\n", `{\n  // ${comment}\n`)}\n` : `${body}\n`;
}
