/**
 * Shapes of the demo data. The data files next to this one are plain literals so
 * that a pharmacist can review the formulary without reading any code.
 */
import type { ControlList } from "@asky/contracts";

export type DispenserStatus = "ONLINE" | "OFFLINE" | "MAINTENANCE";

export interface WardSeed {
  /** Stable ward code used across services, e.g. `UTI-ADULTO`. */
  code: string;
  name: string;
  floor: string;
}

export interface DispenserSeed {
  /** Human code printed on the cabinet, e.g. `PYX-UTI-01`. */
  code: string;
  name: string;
  ward: string;
  floor: string;
  location: string;
  status: DispenserStatus;
}

export interface MedicationSeed {
  /** Stable formulary code, e.g. `MED-DIPIRONA-500-CP`. */
  code: string;
  /** Display name as on the label, Portuguese generic name, e.g. `Dipirona Sódica 500 mg comprimido`. */
  name: string;
  activeIngredient: string;
  strength: string;
  dosageForm: string;
  /** Clinical area that uses it most, e.g. `Analgesia`, `Terapia intensiva`. */
  area: string;
  therapeuticClass: string;
  /** Portaria SVS/MS 344/98 list of a controlled substance (A1 opioids, B1 benzodiazepines, ...); null otherwise. */
  controlList: ControlList | null;
  unit: string;
  /** Unit cost in BRL as a decimal string with two places, e.g. `"0.35"`. */
  unitCost: string;
}

export interface MaterialSeed {
  code: string;
  name: string;
  description: string;
  unit: string;
  unitCost: string;
}
