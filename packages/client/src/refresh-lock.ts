/**
 * One refresh at a time. Refresh tokens rotate and a spent one presented again revokes the
 * whole session, so two tabs (or two calls) refreshing with the same token log the user out.
 * The lock serialises refreshes; the refresh itself re-reads the tokens once it holds it.
 */
export interface RefreshLock {
  /** Runs `task` while no other holder of `name` runs. */
  run<T>(name: string, task: () => Promise<T>): Promise<T>;
}

/** Within one JavaScript realm (a Node process, a React Native app, a tab without Web Locks). */
export function inProcessLock(): RefreshLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(name: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
  };
}

/** The part of the Web Locks API (navigator.locks) the client uses. */
export interface LockManagerLike {
  request<T>(name: string, options: { mode: "exclusive" }, callback: () => Promise<T>): Promise<T>;
}

/** Across the tabs and workers of an origin: the Web Locks API. */
export function webLocks(locks: LockManagerLike): RefreshLock {
  return {
    run: <T>(name: string, task: () => Promise<T>) => locks.request(name, { mode: "exclusive" }, task),
  };
}

/** navigator.locks where the platform has it (browsers, Node ≥ 24.5), else in-process. */
export function defaultRefreshLock(): RefreshLock {
  const navigatorLike = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  const locks = navigatorLike?.locks;
  return locks && typeof locks.request === "function" ? webLocks(locks) : inProcessLock();
}
