import { setMaxListeners } from "node:events";

/** What the executing session has been asked to do. */
export type ControlState = "run" | "pause" | "stop" | "cancel";

/**
 * The in-process signalling between whoever controls a run (CLI, API, heartbeat picking up a
 * command from another process) and the loops executing it. Cancel also aborts in-flight
 * requests through `signal`.
 */
export class RunControls {
  private current: ControlState = "run";
  private readonly abortController = new AbortController();
  private waiters: (() => void)[] = [];

  constructor() {
    // Every in-flight request listens on the run's signal; up to `concurrency` (max 1000) at once.
    setMaxListeners(2000, this.abortController.signal);
  }

  get state(): ControlState {
    return this.current;
  }

  /** True when the current command is `state`. A method, so callers re-read it after awaits. */
  is(state: ControlState): boolean {
    return this.current === state;
  }

  /** Aborted on cancel only: pause and stop let in-flight requests finish. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /** Applies a command. Cancel and stop are final for this session; a later pause cannot undo them. */
  request(command: "pause" | "resume" | "stop" | "cancel"): void {
    if (this.current === "cancel" || (this.current === "stop" && command !== "cancel")) return;
    this.current = command === "resume" ? "run" : command;
    if (command === "cancel") this.abortController.abort(new Error("run cancelled"));
    this.wake();
  }

  /** Wakes whoever waits for a change (a control command or a finished request). */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves at the next `wake()` or command. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
