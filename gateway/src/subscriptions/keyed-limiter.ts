interface Lane {
  running: number;
  readonly waiting: Array<() => Promise<void>>;
}

/**
 * Runs at most `limit` tasks at a time per key (a user); the others wait in arrival order.
 * Waiting rather than refusing: a client reconnecting resumes all its subscriptions at
 * once, and each waiting task already holds a subscription slot, so the queue is bounded
 * by the subscription quota.
 */
export class KeyedLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limit: number) {}

  /** `task` must settle; its rejection is its own business (it is not reported here). */
  run(key: string, task: () => Promise<void>): void {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      this.lanes.set(key, lane);
    }
    if (lane.running < this.limit) this.start(key, lane, task);
    else lane.waiting.push(task);
  }

  private start(key: string, lane: Lane, task: () => Promise<void>): void {
    lane.running += 1;
    const done = () => {
      lane.running -= 1;
      const next = lane.waiting.shift();
      if (next) this.start(key, lane, next);
      else if (lane.running === 0) this.lanes.delete(key);
    };
    task().then(done, done);
  }
}
