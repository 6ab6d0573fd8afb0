import type pg from "pg";

interface Waiter {
  readonly resolve: () => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The process's pool as one GraphQL operation sees it: at most `limit` of its connections
 * at once. A resolver tree fans out (DataLoader batches of every level, aliases, parallel
 * root fields); without a cap a single operation takes every connection and everybody
 * else's statements queue behind it. Statements past the cap wait here, in the operation's
 * own queue, while other operations keep reaching the pool.
 *
 * drizzle's node-postgres session runs a transaction on a client from `connect()` only when
 * its client looks like a pool (`instanceof pg.Pool`, or a constructor name that contains
 * "Pool"), hence the name of this class. A transaction holds one slot until it ends.
 *
 * Built once per operation, so it stays small: a counter, and a queue only once contended.
 */
export class OperationPool {
  #active = 0;
  #waiting: Waiter[] | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly limit: number,
    /** How long a statement may wait for a slot, as long as the pool lets it wait for a connection. */
    private readonly waitTimeoutMs: number,
  ) {}

  /** Connections of the pool this operation is using right now. */
  get active(): number {
    return this.#active;
  }

  query(config: pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    if (this.#active < this.limit) {
      this.#active++;
      return this.#run(config, values);
    }
    return this.#slot().then(() => this.#run(config, values));
  }

  async connect(): Promise<OperationClient> {
    if (this.#active < this.limit) this.#active++;
    else await this.#slot();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.#release();
      throw error;
    }
    return new OperationClient(client, () => this.#release());
  }

  async #run(config: pg.QueryConfig, values: unknown[] | undefined): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(config, values);
    } finally {
      this.#release();
    }
  }

  #slot(): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        // A statement that cannot get a slot in time means this operation is stuck (say, a
        // statement waiting for a slot its own open transaction holds): fail it rather than
        // keep that transaction's connection forever.
        timer: setTimeout(() => {
          const waiting = this.#waiting ?? [];
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(
            new Error(`timeout exceeded when waiting for one of this operation's ${this.limit} database connections`),
          );
        }, this.waitTimeoutMs),
      };
      (this.#waiting ??= []).push(waiter);
    });
  }

  /** Hands the slot straight to the next waiting statement, so no newcomer can overtake it. */
  #release(): void {
    const next = this.#waiting?.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else {
      this.#active--;
    }
  }
}

/**
 * A pool client lent to one transaction; gives the operation's slot back with it.
 *
 * drizzle (0.45) runs BEGIN before the try/finally that releases the client, so a failed
 * BEGIN (a connection that died while idle, a statement timeout) would keep the client out of
 * the pool for good: here the first statement failing releases it. A client whose last
 * statement failed (the ROLLBACK of a dead connection) goes back with the error, so the pool
 * destroys it instead of lending it again.
 */
export class OperationClient {
  #statements = 0;
  #lastError: Error | undefined;
  #released = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly done: () => void,
  ) {}

  async query(config: pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    // Never on a connection the pool may have lent to someone else since.
    if (this.#released) throw new Error("query on a transaction client already released");
    const first = this.#statements++ === 0;
    try {
      const result = await this.client.query(config, values);
      this.#lastError = undefined;
      return result;
    } catch (error) {
      this.#lastError = error instanceof Error ? error : new Error(String(error));
      if (first) this.release();
      throw error;
    }
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.client.release(this.#lastError);
    this.done();
  }
}
