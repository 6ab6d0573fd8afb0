import { MAX_ITEM_LINES, MAX_QUANTITY } from "./create-request-input.js";

/** A pick names each line of a request at most once, and a request has at most this many. */
export const MAX_PICK_LINES = MAX_ITEM_LINES;
/** No line asks for more, so no pick of one picks more. */
export const MAX_PICK_QUANTITY = MAX_QUANTITY;
export const MAX_PICK_NOTE_LENGTH = 1_000;
