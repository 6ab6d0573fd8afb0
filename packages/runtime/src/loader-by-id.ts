import DataLoader from "dataloader";

/**
 * A per-request DataLoader over a batch query, so that fifty federated references cost
 * one SQL statement instead of fifty.
 */
export function loaderById<TRow extends { id: string }>(
  fetch: (ids: string[]) => Promise<TRow[]>,
): DataLoader<string, TRow | null> {
  return new DataLoader(async (ids) => {
    const rows = await fetch([...ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
