/**
 * How many elements the cost estimate assumes for a list field that has no page size
 * argument (a list with `first`, like `Dispenser.openRequests`, is as long as its `first`). They are the sizes a busy hospital reaches, not averages: a cabinet holds a few
 * dozen stock levels, a request at most 50 lines (MAX_ITEM_LINES) and a handful of status
 * changes. A list missing here counts as `defaultListSize`.
 */
export const declaredListSizes: Readonly<Record<string, number>> = {
  "Dispenser.stock": 40,
  "StockLevel.lots": 5,
  "Request.items": 10,
  "Request.history": 8,
  "Query.wards": 20,
  "Query.expiringLots": 100,
};

export const defaultListSize = 10;

/** Relay connections: the size of `edges` is the connection field's page size. */
export const connectionListFields: ReadonlySet<string> = new Set(["edges", "nodes"]);

/** A connection without `first` returns this many; the schemas' own defaults win when declared. */
export const defaultPageSize = 100;
