/** Every subject is declared by its event contract; re-exported for runtime code that imports common. */
export { eventSubjects, requestEventsWildcard } from "@asky/contracts";
