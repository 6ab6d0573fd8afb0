/** Why a socket or a subscription was turned away; clients read it in `extensions.reason`. */
export type QuotaReason = "MAX_SOCKETS_PER_USER" | "MAX_SUBSCRIPTIONS_PER_SOCKET" | "MAX_SUBSCRIPTIONS_PER_USER";

export interface QuotaLimits {
  readonly maxSocketsPerUser: number;
  readonly maxSubscriptionsPerSocket: number;
  readonly maxSubscriptionsPerUser: number;
}

export type Admission<T, R extends QuotaReason> =
  { readonly admitted: T } | { readonly refused: R; readonly limit: number };

/** A unit of a quota held until released; releasing twice gives back one unit only. */
export interface Lease {
  release(): void;
}

interface Usage {
  readonly userId: string;
  sockets: number;
  subscriptions: number;
}

function lease(give: () => void): Lease {
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      give();
    },
  };
}

/** One socket's share: its own subscription count, and its user's through the process quota. */
export class SocketQuota {
  private subscriptions = 0;
  private readonly socketLease: Lease;

  constructor(
    private readonly quota: ConnectionQuota,
    private readonly usage: Usage,
    private readonly limits: QuotaLimits,
  ) {
    this.socketLease = lease(() => {
      usage.sockets -= 1;
      quota.forgetIfIdle(usage);
    });
  }

  /**
   * Takes a subscription slot, synchronously: every subscribe message of a burst reaches
   * this before any of them has finished its asynchronous checks, so a count taken later
   * (when the subscription starts) lets the whole burst through.
   */
  reserveSubscription(): Admission<Lease, "MAX_SUBSCRIPTIONS_PER_SOCKET" | "MAX_SUBSCRIPTIONS_PER_USER"> {
    if (this.subscriptions >= this.limits.maxSubscriptionsPerSocket) {
      return { refused: "MAX_SUBSCRIPTIONS_PER_SOCKET", limit: this.limits.maxSubscriptionsPerSocket };
    }
    if (this.usage.subscriptions >= this.limits.maxSubscriptionsPerUser) {
      return { refused: "MAX_SUBSCRIPTIONS_PER_USER", limit: this.limits.maxSubscriptionsPerUser };
    }
    this.subscriptions += 1;
    this.usage.subscriptions += 1;
    return {
      admitted: lease(() => {
        this.subscriptions -= 1;
        this.usage.subscriptions -= 1;
        this.quota.forgetIfIdle(this.usage);
      }),
    };
  }

  /** The socket closed; its subscriptions give their slots back through their own leases. */
  close(): void {
    this.socketLease.release();
  }
}

/**
 * Sockets and subscriptions per user on this gateway process. One user's tabs and devices
 * share it, so a runaway client (or a stolen token) holds a bounded part of the process
 * whatever it sends; other users are not affected by it.
 */
export class ConnectionQuota {
  private readonly users = new Map<string, Usage>();

  constructor(private readonly limits: QuotaLimits) {}

  openSocket(userId: string): Admission<SocketQuota, "MAX_SOCKETS_PER_USER"> {
    let usage = this.users.get(userId);
    if (usage && usage.sockets >= this.limits.maxSocketsPerUser) {
      return { refused: "MAX_SOCKETS_PER_USER", limit: this.limits.maxSocketsPerUser };
    }
    if (!usage) {
      usage = { userId, sockets: 0, subscriptions: 0 };
      this.users.set(userId, usage);
    }
    usage.sockets += 1;
    return { admitted: new SocketQuota(this, usage, this.limits) };
  }

  /** @internal Drops a user's entry once nothing of theirs is open, so the map holds live users only. */
  forgetIfIdle(usage: Usage): void {
    if (usage.sockets === 0 && usage.subscriptions === 0 && this.users.get(usage.userId) === usage)
      this.users.delete(usage.userId);
  }
}
