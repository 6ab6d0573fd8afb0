/**
 * Scenario 1's baseline: the ward board fetched straight from the subgraphs, with the same
 * four calls the gateway's query plan makes (requests, then users, dispensers and catalog
 * items in parallel, representations de-duplicated), stitched by hand. It sits behind its
 * own HTTP port so the load generator drives it exactly as it drives the gateway: the
 * difference between the two is the gateway's own work (parse, validate, plan, execute,
 * merge, auth), not the client hop.
 */
import http, { type IncomingMessage } from "node:http";
import { requireEnv, subgraphAccess } from "../internal-tokens.js";
import { startCallCounter } from "./call-counter.js";

const access = await subgraphAccess();
const urls: Record<string, URL> = Object.fromEntries(
  Object.entries(access.urls).map(([name, url]) => [name, new URL(url)]),
);
const tokens = access.tokens;
const ward = requireEnv("BENCH_WARD");
const counter = startCallCounter();
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Ref {
  __typename: string;
  id: string;
}
interface RequestNode {
  id: string;
  number: string;
  status: string;
  priority: string;
  createdAt: string;
  requester: Ref;
  dispenser: Ref;
  items: { quantity: number; item: Ref }[];
}
interface RequestsData {
  requests: { totalCount: number; edges: { node: RequestNode }[] };
}

const requestsQuery = `query WardBoard__requests__0($ward:String!){requests(first:20,ward:$ward){totalCount edges{node{id number status priority createdAt requester{__typename id}dispenser{__typename id}items{quantity item{__typename id}}}}}}`;
const usersQuery = `query WardBoard__users__1($representations:[_Any!]!){_entities(representations:$representations){...on User{fullName}}}`;
const dispensersQuery = `query WardBoard__dispensers__2($representations:[_Any!]!){_entities(representations:$representations){...on Dispenser{name code}}}`;
const itemsQuery = `query WardBoard__dispensers__3($representations:[_Any!]!){_entities(representations:$representations){...on CatalogItem{__typename name unit}}}`;

function post<T>(subgraph: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const url = urls[subgraph]!;
  counter.count();
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: tokens.header(subgraph),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: T; errors?: unknown[] };
            if (res.statusCode !== 200 || !parsed.data || parsed.errors)
              reject(new Error(`${subgraph}: ${res.statusCode} ${JSON.stringify(parsed.errors)}`));
            else resolve(parsed.data);
          } catch (error) {
            reject(error as Error);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function unique(refs: Ref[]): Ref[] {
  const seen = new Map<string, Ref>();
  for (const ref of refs) if (!seen.has(ref.id)) seen.set(ref.id, { __typename: ref.__typename, id: ref.id });
  return [...seen.values()];
}

type Entities = { _entities: (Record<string, unknown> | null)[] };

async function entities(subgraph: string, query: string, refs: Ref[]): Promise<Map<string, Record<string, unknown>>> {
  const reps = unique(refs);
  const byId = new Map<string, Record<string, unknown>>();
  if (reps.length === 0) return byId;
  const { _entities } = await post<Entities>(subgraph, query, { representations: reps });
  reps.forEach((rep, i) => byId.set(rep.id, _entities[i] ?? {}));
  return byId;
}

async function wardBoard(): Promise<unknown> {
  const { requests } = await post<RequestsData>("requests", requestsQuery, { ward });
  const nodes = requests.edges.map((edge) => edge.node);
  const [people, cabinets, items] = await Promise.all([
    entities(
      "users",
      usersQuery,
      nodes.map((node) => node.requester),
    ),
    entities(
      "dispensers",
      dispensersQuery,
      nodes.map((node) => node.dispenser),
    ),
    entities(
      "dispensers",
      itemsQuery,
      nodes.flatMap((node) => node.items.map((line) => line.item)),
    ),
  ]);
  return {
    data: {
      requests: {
        totalCount: requests.totalCount,
        edges: nodes.map((node) => ({
          node: {
            id: node.id,
            number: node.number,
            status: node.status,
            priority: node.priority,
            createdAt: node.createdAt,
            requester: { fullName: people.get(node.requester.id)?.fullName ?? null },
            dispenser: {
              name: cabinets.get(node.dispenser.id)?.name ?? null,
              code: cabinets.get(node.dispenser.id)?.code ?? null,
            },
            items: node.items.map((line) => {
              const item = items.get(line.item.id);
              return { quantity: line.quantity, item: { name: item?.name ?? null, unit: item?.unit ?? null } };
            }),
          },
        })),
      },
    },
  };
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.resume();
    req.on("end", resolve);
  });
}

const server = http.createServer((req, res) => {
  void drain(req)
    .then(wardBoard)
    .then((body) => {
      const payload = JSON.stringify(body);
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(payload),
      });
      res.end(payload);
    })
    .catch((error: unknown) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(String(error));
    });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(Number(requireEnv("PORT")), "127.0.0.1", resolve));
process.stdout.write(`ready http://127.0.0.1:${requireEnv("PORT")}/graphql\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)));
