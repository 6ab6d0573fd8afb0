import { INTERNAL_TOKEN_TTL_SECONDS, loadSigningKeys, signInternalToken } from "@asky/auth";
import { type Viewer } from "@asky/contracts";

/**
 * What the peers and the direct client attach to subgraph calls: one internal token per
 * subgraph audience, signed with the stack's gateway key for one fixed viewer and re-signed
 * every half life in the background, like Asky's gateway token cache. So every contender
 * does the same work per call (one header, no signature on the hot path).
 */
export class SubgraphTokens {
  private tokens = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly sign: (audience: string) => Promise<string>,
    private readonly audiences: readonly string[],
  ) {}

  static async start(options: {
    keysDir: string;
    viewer: Viewer;
    sessionId?: string | null;
    audiences: readonly string[];
  }) {
    const [key] = await loadSigningKeys({
      owner: "gateway",
      jwks: undefined,
      keysDir: options.keysDir,
      production: false,
    });
    const tokens = new SubgraphTokens(
      (audience) =>
        signInternalToken(key, {
          issuer: "gateway",
          audience,
          viewer: options.viewer,
          clientIp: "127.0.0.1",
          sessionId: options.sessionId ?? null,
        }),
      options.audiences,
    );
    await tokens.refresh();
    tokens.timer = setInterval(() => void tokens.refresh(), (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2);
    tokens.timer.unref();
    return tokens;
  }

  private async refresh(): Promise<void> {
    const next = new Map<string, string>();
    for (const audience of this.audiences) next.set(audience, await this.sign(audience));
    this.tokens = next;
  }

  /** `Bearer <token>` for a subgraph. */
  header(audience: string): string {
    const token = this.tokens.get(audience);
    if (!token) throw new Error(`no internal token for ${audience}`);
    return `Bearer ${token}`;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The viewer a bench peer acts for, passed to child processes as JSON. */
export function viewerFromEnv(): { viewer: Viewer; sessionId: string | null } {
  const raw = process.env.BENCH_VIEWER;
  if (!raw) throw new Error("BENCH_VIEWER is not set");
  return JSON.parse(raw) as { viewer: Viewer; sessionId: string | null };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * What every bench contender outside Asky's gateway starts from: the stack's subgraph URLs
 * (from the environment `startTarget` sets) and their internal tokens for the bench viewer.
 */
export async function subgraphAccess(): Promise<{ urls: Record<string, string>; tokens: SubgraphTokens }> {
  const urls: Record<string, string> = {
    users: requireEnv("USERS_URL"),
    dispensers: requireEnv("DISPENSERS_URL"),
    requests: requireEnv("REQUESTS_URL"),
  };
  const { viewer, sessionId } = viewerFromEnv();
  const tokens = await SubgraphTokens.start({
    keysDir: requireEnv("ASKY_KEYS_DIR"),
    viewer,
    sessionId,
    audiences: Object.keys(urls),
  });
  return { urls, tokens };
}
