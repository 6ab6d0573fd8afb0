// Types vitest's inject("gatewayUrl") etc. for the root tests (the declaration lives in @asky/stack/testing).
import type {} from "@asky/stack/testing";
