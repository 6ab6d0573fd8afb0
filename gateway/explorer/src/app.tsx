import { useMemo } from "react";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createAskyFetcher, endpointFor } from "./fetcher";
import { HEADERS_HINT } from "./headers";
import { signInPlugin } from "./sign-in";

const DEFAULT_QUERY = `# Asky GraphQL explorer
#
# Sign in with the key icon on the left (or paste an access token into the request
# headers below), then run an operation with Ctrl-Enter / Cmd-Enter.
# Docs: the book icon. Point-and-click query builder: the folder icon. History: the clock.

query LatestRequests {
  requests(first: 3) {
    edges {
      node {
        number
        status
        dispenser { name }
      }
    }
  }
}
`;

export function App() {
  const endpoint = useMemo(() => endpointFor(window.location), []);
  const fetcher = useMemo(() => createAskyFetcher(endpoint), [endpoint]);
  const plugins = useMemo(() => [HISTORY_PLUGIN, explorerPlugin(), signInPlugin(endpoint.http)], [endpoint]);
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={plugins}
      defaultQuery={DEFAULT_QUERY}
      defaultHeaders={HEADERS_HINT}
      defaultEditorToolsVisibility="headers"
      // Tokens stay in memory: explorer users are often on shared ward workstations.
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>Asky</GraphiQL.Logo>
    </GraphiQL>
  );
}
