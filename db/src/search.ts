/**
 * Normalizes text for `catalog_items.search_text` and for search terms:
 * NFD, diacritics stripped, lowercased, whitespace collapsed.
 * `normalizeSearchText("Dipirona Sódica")` → `"dipirona sodica"`.
 */
export function normalizeSearchText(...parts: ReadonlyArray<string | null | undefined>): string {
  return parts
    .filter((p): p is string => typeof p === "string" && p.length > 0)
    .join(" ")
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Escapes `%`, `_` and `\` so user input can be used inside a `LIKE` pattern. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `catalog_items.search_text` of an item: its name, plus the active ingredient when the name
 * does not already contain it, normalized with `normalizeSearchText`.
 */
export function catalogSearchText(name: string, activeIngredient?: string | null): string {
  const normalizedName = normalizeSearchText(name);
  const ingredient = normalizeSearchText(activeIngredient);
  return ingredient && !normalizedName.includes(ingredient) ? `${normalizedName} ${ingredient}` : normalizedName;
}
