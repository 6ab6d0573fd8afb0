/** What a scenario hands to the report. */
export interface Verdict {
  target: string;
  /** null: not measured (e.g. the scenario failed). */
  met: boolean | null;
  detail: string;
}

export interface Section {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  /** Per-round ratios and other lines printed under the table. */
  notes: string[];
  verdicts: Verdict[];
}

export function section(id: string, title: string, columns: string[]): Section {
  return { id, title, columns, rows: [], notes: [], verdicts: [] };
}
