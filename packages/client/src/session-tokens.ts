import { localExpiry } from "./access-token-expiry.js";
import type { SessionFieldsFragment } from "./gql/graphql.js";
import type { Tokens } from "./tokens.js";

/** What the client stores of a login or refreshToken answer. */
export function tokensOf(payload: SessionFieldsFragment, receivedAtMs: number): Tokens {
  return {
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    accessTokenExpiresAt: new Date(localExpiry(payload.accessToken, payload.expiresAt, receivedAtMs)).toISOString(),
    refreshTokenExpiresAt: payload.refreshTokenExpiresAt,
    viewer: {
      id: payload.user.id,
      role: payload.user.role,
      ward: payload.user.ward ?? null,
      fullName: payload.user.fullName,
      nickname: payload.user.nickname,
    },
  };
}
