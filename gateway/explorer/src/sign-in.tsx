import { useState, type FormEvent } from "react";
import { Button, pick, useGraphiQL, type GraphiQLPlugin } from "@graphiql/react";
import { withAuthorization } from "./headers";

const LOGIN = `mutation ExplorerSignIn($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresAt user { fullName role } }
}`;
const LOGOUT = `mutation ExplorerSignOut($refreshToken: String!) { logout(refreshToken: $refreshToken) }`;

interface Session {
  refreshToken: string;
  expiresAt: string;
  name: string;
  role: string;
}

interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post<T>(endpoint: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResult<T>> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
    credentials: "omit",
  });
  return (await response.json()) as GraphQLResult<T>;
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function SignInPanel({ endpoint }: { endpoint: string }) {
  const { headerEditor } = useGraphiQL(pick("headerEditor"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "info"; text: string } | null>(null);
  const [session, setSession] = useState<Session | null>(null);

  const setToken = (token: string | null, comment?: string) => {
    headerEditor?.setValue(withAuthorization(headerEditor.getValue(), token, comment));
  };

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      type Login = {
        login: {
          accessToken: string;
          refreshToken: string;
          expiresAt: string;
          user: { fullName: string; role: string };
        };
      };
      const result = await post<Login>(endpoint, LOGIN, { email: email.trim(), password });
      const login = result.data?.login;
      if (!login) {
        setMessage({ kind: "error", text: result.errors?.[0]?.message ?? "Sign-in failed." });
        return;
      }
      const next = {
        refreshToken: login.refreshToken,
        expiresAt: login.expiresAt,
        name: login.user.fullName,
        role: login.user.role,
      };
      setSession(next);
      setPassword("");
      setToken(login.accessToken, `${next.name} (${next.role}), valid until ${timeOf(next.expiresAt)}`);
      setMessage({ kind: "info", text: "The access token is in the request headers of this tab." });
    } catch (error) {
      setMessage({
        kind: "error",
        text: `Could not reach the gateway: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    const ending = session;
    setSession(null);
    setToken(null);
    setMessage({ kind: "info", text: "Signed out; the token was removed from the request headers." });
    if (ending) await post(endpoint, LOGOUT, { refreshToken: ending.refreshToken }).catch(() => undefined);
  };

  return (
    <div className="asky-sign-in">
      <div className="graphiql-doc-explorer-title">Sign in</div>
      {session ? (
        <div className="asky-sign-in-session">
          <p>
            Signed in as <strong>{session.name}</strong> ({session.role}). The token is valid until{" "}
            {timeOf(session.expiresAt)}; sign in again after that.
          </p>
          <Button type="button" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      ) : (
        <form onSubmit={(event) => void signIn(event)} aria-label="Sign in">
          <label>
            Email
            <input
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          <Button type="submit" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      )}
      {message ? (
        <p
          className={`asky-sign-in-message asky-sign-in-${message.kind}`}
          role={message.kind === "error" ? "alert" : "status"}
        >
          {message.text}
        </p>
      ) : null}
      <p className="asky-sign-in-help">
        Or paste a token into the request headers: <code>{'"Authorization": "Bearer <accessToken>"'}</code>. Queries and
        mutations send it as a header; subscriptions send it as <code>connectionParams.authorization</code>. The token
        is kept in this tab only, not in the browser&apos;s storage.
      </p>
    </div>
  );
}

function KeyIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <circle cx="8" cy="15" r="4" />
      <path d="M10.85 12.15 19 4M17 6l2.5 2.5M14.5 8.5 16.5 10.5" />
    </svg>
  );
}

/** A sidebar panel that signs in with the `login` mutation and puts the access token into the request headers. */
export function signInPlugin(endpoint: string): GraphiQLPlugin {
  return {
    title: "Sign in",
    icon: KeyIcon,
    content: function SignIn() {
      return <SignInPanel endpoint={endpoint} />;
    },
  };
}
