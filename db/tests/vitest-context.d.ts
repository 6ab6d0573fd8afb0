// Types vitest's `inject("serviceDatabaseUrls")` etc. in db tests: the values come from the
// repo's global setup (tests/global-setup.ts), the `ProvidedContext` augmentation from here.
import type {} from "@asky/stack/testing";
