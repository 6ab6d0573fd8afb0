import type { ControlList } from "@asky/contracts";
import { invalidField } from "@asky/runtime";

/**
 * The Portaria 344/98 list a medication write sets, from `controlList` and the deprecated
 * `controlled` flag that older clients still send. The flag says less than the list, so it is
 * only believed where it agrees: true needs a list (the balance book the law requires is kept
 * per list, so "controlled, list unknown" cannot be recorded), false with a list contradicts
 * itself, and false alone means not controlled. `undefined` leaves an updated item's list as is.
 */
export function controlListInput(
  controlList: ControlList | null | undefined,
  controlled: boolean | null | undefined,
): ControlList | null | undefined {
  if (controlled === true && !controlList) {
    throw invalidField(
      "controlList",
      "A controlled medication needs its controlList: the Portaria 344/98 book is kept per list",
    );
  }
  if (controlled === false && controlList) {
    throw invalidField(
      "controlled",
      `controlled: false contradicts controlList ${controlList}; send controlList alone`,
    );
  }
  if (controlled === false) return null;
  return controlList;
}
