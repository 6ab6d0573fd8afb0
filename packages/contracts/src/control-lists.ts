/**
 * The lists of Portaria SVS/MS nº 344/98 (Anexo I, as updated by Anvisa's RDCs) that a
 * hospital pharmacy dispenses from. The law keeps a balance book per list and the list decides
 * the prescription form, so a controlled medication always names one. Lists D (precursors),
 * E (plants) and F (proscribed substances) are never dispensed and are left out. The GraphQL
 * enum `ControlList` and the dispensers schema's `control_list` type spell the same values.
 */
export const controlLists = ["A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "C5"] as const;
export type ControlList = (typeof controlLists)[number];
