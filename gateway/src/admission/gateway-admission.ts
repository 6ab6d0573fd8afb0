import type { IncomingMessage } from "node:http";
import {
  currentRequestId,
  ErrorCode,
  rateLimited,
  RefusedRequest,
  SESSION_UNVERIFIABLE,
  type AdmittedOperation,
  type GraphQLRequestParts,
  type HttpAdmission,
  type Logger,
  type OperationGuard,
  type OperationLimits,
} from "@asky/runtime";
import {
  parseBearer,
  sessionUnverifiableRefusal,
  SessionUnverifiableError,
  type VerifiedAccessToken,
} from "@asky/auth";
import type { GatewayConfig } from "../config.js";
import type { GatewayMetrics } from "../metrics.js";
import { clientAddress } from "./client-address.js";
import { RateLimiter, type Taken } from "./rate-limiter.js";
import { tokenRefusalMessages, tokenRefusalReason, type TokenRefusalReason } from "../token-refusal.js";

export interface GatewayAdmissionOptions {
  config: GatewayConfig;
  guard: OperationGuard;
  verify: (token: string) => Promise<VerifiedAccessToken>;
  /** Gateway replicas serving now; each grants its share of every allowance. */
  replicas: () => number;
  metrics: GatewayMetrics;
  logger: Logger;
}

export interface GatewayAdmission extends HttpAdmission {
  /** For WebSockets: one more request from this address (and user, when known). */
  take(address: string, userId: string | null): void;
  /** For WebSockets: a signed-in client's operation, measured and charged as over HTTP. */
  admitOperation(request: GraphQLRequestParts, userId: string): AdmittedOperation | undefined;
  readonly byAddress: RateLimiter;
}

function refuseWhenLimited(taken: Taken, reason: string): void {
  if (!taken.ok) throw rateLimited(taken.retryAfterSeconds, reason);
}

/**
 * What the gateway checks of a request before Apollo Server parses it, cheapest first: the
 * client address's allowance, the access token (a present but bad token is refused here,
 * before its body is read), the user's allowance, a body limit that is much smaller without
 * a token (the anonymous surface is sign-in and introspection), then the operation's size.
 */
export function gatewayAdmission(options: GatewayAdmissionOptions): GatewayAdmission {
  const { config, guard, metrics } = options;
  const share = () => 1 / Math.max(1, options.replicas());
  const byAddress = new RateLimiter({ burst: config.addressBurst, perSecond: config.addressPerSecond }, share);
  const byUser = new RateLimiter({ burst: config.userBurst, perSecond: config.userPerSecond }, share);
  const anonymousLimits: OperationLimits = {
    ...guard.limits,
    maxTokens: Math.min(guard.limits.maxTokens, config.anonymousMaxTokens),
  };
  /**
   * What a user's operations cost, not only how many there are: thirty boards a second and
   * thirty of the costliest operations the limits admit are not the same load, and the
   * second is what took another ward's board from 20 to 120 ms p99 (bench scenario 6).
   */
  const byCost = new RateLimiter({ burst: config.costBurst, perSecond: config.costPerSecond }, share);
  /** The user each signed-in request is from (set when its token is checked). */
  const signedIn = new WeakMap<IncomingMessage, string>();
  const admitCharged = (request: GraphQLRequestParts, limits: OperationLimits, userId: string | undefined) => {
    const admitted = guard.admit(request, limits);
    if (admitted && userId !== undefined)
      refuseWhenLimited(byCost.take(userId, admitted.measure.cost), "COST_RATE_LIMIT");
    return admitted;
  };

  const counted = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof RefusedRequest)
        metrics.refusedOperations.add(1, {
          reason: String(error.error.extensions.reason ?? error.error.extensions.code),
        });
      throw error;
    }
  };

  return {
    byAddress,
    take(address, userId) {
      counted(() => {
        refuseWhenLimited(byAddress.take(address), "ADDRESS_RATE_LIMIT");
        if (userId !== null) refuseWhenLimited(byUser.take(userId), "USER_RATE_LIMIT");
      });
    },
    admitOperation(request, userId) {
      return counted(() => admitCharged(request, guard.limits, userId));
    },
    async beforeBody(req) {
      counted(() =>
        refuseWhenLimited(byAddress.take(clientAddress(req, config.trustedProxyHops)), "ADDRESS_RATE_LIMIT"),
      );
      const header = req.headers.authorization;
      if (header === undefined) return { maxBodyBytes: config.anonymousMaxBodyBytes };
      const token = parseBearer(header);
      let verified: VerifiedAccessToken | null = null;
      let unverifiable = false;
      // A header that is not `Bearer <token>` is an invalid token too.
      let refusal: TokenRefusalReason = "TOKEN_INVALID";
      if (token !== null) {
        verified = await options.verify(token).catch((error: unknown) => {
          unverifiable = error instanceof SessionUnverifiableError;
          refusal = tokenRefusalReason(error);
          options.logger.info(
            {
              reason: error instanceof Error ? error.message : String(error),
              clientIp: req.socket.remoteAddress,
              correlationId: currentRequestId(),
            },
            "rejected access token",
          );
          return null;
        });
      }
      if (unverifiable) {
        metrics.refusedOperations.add(1, { reason: SESSION_UNVERIFIABLE });
        throw sessionUnverifiableRefusal();
      }
      if (!verified) {
        metrics.refusedOperations.add(1, { reason: ErrorCode.UNAUTHENTICATED });
        throw new RefusedRequest(401, ErrorCode.UNAUTHENTICATED, tokenRefusalMessages[refusal], { reason: refusal });
      }
      counted(() => refuseWhenLimited(byUser.take(verified.viewer.id), "USER_RATE_LIMIT"));
      signedIn.set(req, verified.viewer.id);
      return { maxBodyBytes: config.maxBodyBytes };
    },
    check(request, req) {
      const userId = signedIn.get(req);
      counted(() => admitCharged(request, userId === undefined ? anonymousLimits : guard.limits, userId));
    },
  };
}
