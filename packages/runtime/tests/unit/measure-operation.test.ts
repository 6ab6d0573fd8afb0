import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import {
  measureOperation,
  FragmentCycleError,
  type ListSizeOverride,
} from "../../src/operation-limits/measure-operation.js";

const schema = buildSchema(`
  type Query {
    requests(first: Int = 20, after: String): RequestConnection!
    dispenser(id: ID!): Dispenser
    dispensers(first: Int): DispenserConnection!
    _entities(representations: [String!]!): [Dispenser]!
  }
  type RequestConnection { edges: [RequestEdge!]! totalCount: Int! }
  type RequestEdge { node: Request! }
  type DispenserConnection { edges: [DispenserEdge!]! }
  type DispenserEdge { node: Dispenser! }
  type Request { id: ID! items: [Item!]! dispenser: Dispenser! }
  type Item { quantity: Int! }
  type Dispenser { id: ID! openRequests(first: Int = 20): [Request!]! grid: [[Item!]!]! }
`);

function measure(source: string, variables: Record<string, unknown> = {}, listSize?: ListSizeOverride) {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return measureOperation(schema, operation, fragments, variables, listSize);
}

describe("measureOperation", () => {
  it("multiplies a connection's children by its page size, the schema's default included", () => {
    // requests (1 + page 20) + edges (1 + 20 × (node 1 + id 1))
    expect(measure("{ requests { edges { node { id } } } }")).toEqual({
      depth: 4,
      aliases: 0,
      rootFields: 1,
      cost: 1 + 20 + 1 + 20 * 2,
    });
    expect(measure("{ requests(first: 5) { edges { node { id } } } }").cost).toBe(1 + 5 + 1 + 5 * 2);
  });

  it("reads the page size from variables and falls back to 100 for anything else", () => {
    expect(measure("query($n: Int) { requests(first: $n) { totalCount } }", { n: 7 }).cost).toBe(1 + 7 + 1);
    expect(measure("query($n: Int) { requests(first: $n) { totalCount } }", { n: "lots" }).cost).toBe(1 + 100 + 1);
    expect(measure("{ dispensers { edges { node { id } } } }").cost).toBe(1 + 100 + 1 + 100 * 2);
  });

  it("uses declared sizes for lists without paging, and squares nested lists", () => {
    // openRequests is as long as its first (the schema's 20, its page counted once more); items default to 10.
    expect(measure('{ dispenser(id: "d") { openRequests { items { quantity } } } }').cost).toBe(
      1 + (1 + 20 + 20 * (1 + 10 * 1)),
    );
    expect(measure('{ dispenser(id: "d") { openRequests(first: 3) { items { quantity } } } }').cost).toBe(
      1 + (1 + 3 + 3 * (1 + 10 * 1)),
    );
    expect(measure('{ dispenser(id: "d") { grid { quantity } } }').cost).toBe(1 + 1 + 10 ** 2);
  });

  it("counts aliases and root fields, fragments expanded once per spread", () => {
    const result = measure(
      '{ a: dispenser(id: "1") { ...F } b: dispenser(id: "2") { ...F } } fragment F on Dispenser { x: id y: id }',
    );
    expect(result.aliases).toBe(2 + 2 * 2);
    expect(result.rootFields).toBe(2);
  });

  it("measures a document of fragments that each spread the next twice without expanding it", () => {
    const fragments = [`fragment F40 on Query { __typename }`];
    for (let level = 39; level >= 0; level -= 1)
      fragments.push(`fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`);
    // Expanded, this would be 2^40 field visits: it returns only because each fragment is measured once.
    expect(measure(`{ ...F0 } ${fragments.join(" ")}`).cost).toBe(2 ** 40);
  });

  it("refuses a fragment cycle", () => {
    expect(() => measure("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")).toThrow(
      FragmentCycleError,
    );
  });

  it("lets the caller size lists the schema cannot, such as _entities", () => {
    const entities = "query($r: [String!]!) { _entities(representations: $r) { ... on Dispenser { id } } }";
    const bySent: ListSizeOverride = (parent, field, variables) =>
      parent === "Query" && field.name.value === "_entities" ? (variables.r as unknown[]).length : undefined;
    expect(measure(entities, { r: Array.from({ length: 300 }) }, bySent).cost).toBe(1 + 300 * 1);
  });

  it("counts depth through inline fragments and unknown fields alike", () => {
    expect(measure('{ dispenser(id: "d") { ... on Dispenser { openRequests { dispenser { id } } } } }').depth).toBe(4);
    expect(measure("{ nope { deeper { still } } }").depth).toBe(3);
  });
});
