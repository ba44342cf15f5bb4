const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** The shell's code for a process ended by SIGINT (128 + 2), as Ctrl-C after start-up ends it. */
export const INTERRUPTED_EXIT_CODE = 130;
/** A start-up step that does not come back (an unreachable store) is not waited for longer. */
const GIVE_UP_AFTER_MS = 15_000;

/** Thrown at a start-up checkpoint once a signal came in. */
export class StartupInterrupted extends Error {
  constructor() {
    super('interrupted during start-up');
  }
}

/**
 * Ctrl-C (or SIGTERM) while the all-in-one process starts. Closing Redis, BullMQ and the pool
 * while Nest is still initialising the modules that use them raised "Connection is closed"
 * rejections; so a signal during start-up only takes note (one line), the step under way
 * finishes, the next checkpoint throws, and the caller closes what is open and exits. Nest's
 * own shutdown hooks take over once start-up is done (`handOver`). A second signal, or a step
 * that does not return within 15 s, exits at once.
 */
export class StartupInterrupt {
  private received?: NodeJS.Signals;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.received) return this.exit(INTERRUPTED_EXIT_CODE);
    this.received = signal;
    this.write(
      `${this.name}: ${signal === 'SIGINT' ? 'interrupted' : 'stopped'} during start-up; stopping\n`,
    );
    setTimeout(() => this.exit(INTERRUPTED_EXIT_CODE), GIVE_UP_AFTER_MS).unref();
  };

  constructor(
    private readonly name: string,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  arm(): this {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    return this;
  }

  get interrupted(): boolean {
    return this.received !== undefined;
  }

  /** Throws `StartupInterrupted` once a signal came in. */
  check(): void {
    if (this.received) throw new StartupInterrupted();
  }

  /** Start-up is done: from now on signals are `takeOver`'s (Nest's shutdown hooks). */
  handOver(takeOver: () => void): void {
    this.check();
    this.disarm();
    takeOver();
  }

  disarm(): void {
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
  }
}
