import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import { likePattern } from "./pagination.js";

const accented = "áàâãäéèêëíìîïóòôõöúùûüçñÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑ";
const plain = "aaaaaeeeeiiiiooooouuuucnaaaaaeeeeiiiiooooouuuucn";

/**
 * `column` matches a normalized search term ignoring case and Portuguese accents, without
 * needing the unaccent extension (which a managed Postgres may not allow).
 */
export function foldedContains(column: AnyColumn | SQL, normalizedTerm: string): SQL {
  return sql`lower(translate(${column}, ${accented}, ${plain})) like ${likePattern(normalizedTerm)}`;
}
