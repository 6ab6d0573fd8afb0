import type { IncomingMessage } from "node:http";
import { currentRequestId } from "@asky/common";

/** What the gateway knows about an incoming operation. */
export interface GatewayContext {
  readonly requestId: string;
}

export async function gatewayContext(_req: IncomingMessage): Promise<GatewayContext> {
  return { requestId: currentRequestId() };
}
