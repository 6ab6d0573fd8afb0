// Types vitest's inject("gatewayUrl") etc. for the root tests (the declaration lives in @asky/stack/testing).
import type {} from "@asky/stack/testing";

declare module "vitest" {
  export interface ProvidedContext {
    /** This run's own copy of the services' log (tests/global-setup.ts); other runs never restart it. */
    serviceLogFile: string;
  }
}
