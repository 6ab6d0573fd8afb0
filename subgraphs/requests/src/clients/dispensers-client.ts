import { createHttpClient, currentRequestId, type HttpResponse } from "@asky/runtime";
import { InternalTokenCache, signInternalToken, type SigningKey } from "@asky/auth";
import { controlLists, type CatalogItemKind, type ControlList } from "@asky/contracts";
import type { DispenserStatus } from "../domain/request-kinds.js";

/** What this service needs to know about a cabinet before opening a request for it. */
export interface DispenserFacts {
  readonly id: string;
  readonly ward: string;
  readonly status: DispenserStatus;
}

export interface CatalogFacts {
  readonly id: string;
  readonly kind: CatalogItemKind;
  /** BRL. */
  readonly unitCost: number;
  /** The Portaria 344/98 list of a controlled medication; null for anything not controlled. */
  readonly controlList: ControlList | null;
  /** A medication's therapeutic class; null for materials and medications the catalog gives none. */
  readonly therapeuticClass: string | null;
}

export interface DispensersLookup {
  /** Null when the dispensers service knows no such cabinet. */
  readonly dispenser: DispenserFacts | null;
  /** Only the items that exist, by id. */
  readonly items: ReadonlyMap<string, CatalogFacts>;
}

export interface DispensersClient {
  lookup(dispenserId: string | null, itemIds: readonly string[]): Promise<DispensersLookup>;
}

/** The dispensers service could not answer; masked as INTERNAL_SERVER_ERROR for clients. */
export class DispensersUnavailableError extends Error {
  override name = "DispensersUnavailableError";
}

/**
 * One `_entities` call answers everything: the dispensers subgraph's reference resolvers
 * resolve a `CatalogItem` reference to its concrete type (Medication or Material), which is
 * the item's kind. Asking as a service (viewer null, our own signed token) keeps a nurse's
 * identity out of a lookup she did not make directly.
 */
const lookupQuery = `query RequestsLookup($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Dispenser { id ward status }
    ... on CatalogItem { id unitCost }
    ... on Medication { controlList therapeuticClass }
  }
}`;

type Entity = Record<string, unknown> | null;

function parseDispenser(entity: Entity): DispenserFacts | null {
  if (entity === null) return null;
  const { id, ward, status } = entity;
  if (typeof id !== "string" || typeof ward !== "string")
    throw new DispensersUnavailableError("malformed dispenser entity");
  if (status !== "ONLINE" && status !== "OFFLINE" && status !== "MAINTENANCE") {
    throw new DispensersUnavailableError(`unknown dispenser status ${String(status)}`);
  }
  return { id, ward, status };
}

/** An unknown list is a malformed answer, never "not controlled": what decides on it must fail closed. */
function parseControlList(entity: Record<string, unknown>): ControlList | null {
  const list = entity.controlList;
  if (list === null) return null;
  const known = controlLists.find((candidate) => candidate === list);
  if (!known) throw new DispensersUnavailableError(`unknown control list ${String(list)}`);
  return known;
}

/** A class is free text in the catalog: a blank one is no class, anything else not a string is malformed. */
function parseTherapeuticClass(entity: Record<string, unknown>): string | null {
  const value = entity.therapeuticClass;
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new DispensersUnavailableError("malformed therapeutic class");
  return value.trim() === "" ? null : value.trim();
}

function parseItem(entity: Entity): CatalogFacts | null {
  if (entity === null) return null;
  const { __typename, id, unitCost } = entity;
  if (typeof id !== "string" || typeof unitCost !== "number")
    throw new DispensersUnavailableError("malformed catalog entity");
  if (__typename === "Medication") {
    const controlList = parseControlList(entity);
    return { id, kind: "MEDICATION", unitCost, controlList, therapeuticClass: parseTherapeuticClass(entity) };
  }
  if (__typename === "Material") return { id, kind: "MATERIAL", unitCost, controlList: null, therapeuticClass: null };
  throw new DispensersUnavailableError(`unexpected catalog type ${String(__typename)}`);
}

function parseBody(response: HttpResponse): { data?: { _entities?: Entity[] }; errors?: unknown[] } | null {
  try {
    return JSON.parse(response.body.toString("utf8")) as { data?: { _entities?: Entity[] }; errors?: unknown[] };
  } catch {
    return null;
  }
}

export function createDispensersClient(
  url: string,
  key: SigningKey,
  timeoutMs = 5_000,
): DispensersClient & { close(): void } {
  const http = createHttpClient();
  // Service work carries no person: one token, re-signed at half its life.
  const tokens = new InternalTokenCache((subject) =>
    signInternalToken(key, { issuer: "requests", audience: "dispensers", ...subject }),
  );
  const asService = { viewer: null, clientIp: null, sessionId: null, accessIssuedAtMs: null };

  async function entities(representations: readonly { __typename: string; id: string }[]): Promise<Entity[]> {
    const token = await tokens.get(asService);
    let response: HttpResponse;
    try {
      response = await http.request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          // One correlation id across both services' logs.
          "x-request-id": currentRequestId(),
        },
        body: JSON.stringify({ query: lookupQuery, variables: { representations } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DispensersUnavailableError(`dispensers service unreachable: ${(error as Error).message}`);
    }
    const body = parseBody(response);
    const list = body?.data?._entities;
    const ok = response.status >= 200 && response.status < 300;
    if (!ok || !Array.isArray(list) || list.length !== representations.length || body?.errors) {
      throw new DispensersUnavailableError(
        `dispensers lookup failed (HTTP ${response.status}): ${JSON.stringify(body?.errors ?? null).slice(0, 500)}`,
      );
    }
    return list;
  }

  return {
    async lookup(dispenserId, itemIds) {
      const representations = [
        ...(dispenserId ? [{ __typename: "Dispenser", id: dispenserId }] : []),
        ...itemIds.map((id) => ({ __typename: "CatalogItem", id })),
      ];
      if (representations.length === 0) return { dispenser: null, items: new Map() };
      const results = await entities(representations);
      const dispenser = dispenserId ? parseDispenser(results[0] ?? null) : null;
      const items = new Map<string, CatalogFacts>();
      for (const entity of results.slice(dispenserId ? 1 : 0)) {
        const item = parseItem(entity);
        if (item) items.set(item.id, item);
      }
      return { dispenser, items };
    },
    close: () => http.close(),
  };
}
