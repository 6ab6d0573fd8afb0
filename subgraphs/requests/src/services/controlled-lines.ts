import type { RequestsContext } from "../context.js";
import type { RequestItemRow } from "../data/requests.js";

/**
 * Whether a request carries a controlled substance: any of its lines (substitutes included)
 * flagged so when it was made. Lines made before the flag was kept (controlled null: older
 * medication lines, and automatic restock lines, whose event carries no control list) are
 * asked of the catalog; an item the catalog does not know, or a catalog that cannot answer,
 * counts as controlled: the custody rules fail closed.
 */
export async function carriesControlled(
  ctx: Pick<RequestsContext, "services" | "logger">,
  lines: readonly RequestItemRow[],
): Promise<boolean> {
  if (lines.some((line) => line.controlled === true)) return true;
  const unknown = lines.filter((line) => line.controlled === null);
  if (unknown.length === 0) return false;
  try {
    const { items } = await ctx.services.dispensers.lookup(
      null,
      unknown.map((line) => line.itemId),
    );
    return unknown.some((line) => {
      const facts = items.get(line.itemId);
      return facts === undefined || facts.controlList !== null;
    });
  } catch (error) {
    ctx.logger.warn({ err: error }, "control lists unknown; the request is taken as controlled");
    return true;
  }
}
