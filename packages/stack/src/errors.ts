/**
 * An error meant for a human at a terminal: the message says what went wrong and what to do.
 * Scripts print `message` without a stack trace.
 */
export class StackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StackError";
  }
}

/** One or more ports the stack needs are taken by another process. */
export class PortInUseError extends StackError {
  constructor(readonly busy: readonly { name: string; port: number; host: string }[]) {
    super(
      busy
        .map(
          ({ name, port, host }) =>
            `Port ${port} (${name}) on ${host} is already in use. ` +
            `Stop whatever listens there (see \`ss -ltnp 'sport = :${port}'\`) or choose another port.`,
        )
        .join("\n"),
    );
    this.name = "PortInUseError";
  }
}
