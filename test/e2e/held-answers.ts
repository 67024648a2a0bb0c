/**
 * Answers a fixture site holds back while a test says so: the test stops a run's crawl where it
 * wants (mid-crawl, before a page is fetched) and lets it go on later.
 */
export class HeldAnswers {
  /** Whether answers go out at once; `hold()` turns it off, `letThrough()` on. */
  private flowing = true;
  /** The answers held back, oldest first; a test may send (`shift()?.()`) or drop some itself. */
  readonly waiting: (() => void)[] = [];

  /** Sends `send` now, or keeps it in `waiting` while held. */
  answer(send: () => void): void {
    if (this.flowing) send();
    else this.waiting.push(send);
  }

  /** Holds back every answer from now on, until {@link letThrough}. */
  hold(): void {
    this.flowing = false;
  }

  /** Sends every held answer and lets the next ones through at once. */
  letThrough(): void {
    this.flowing = true;
    for (const send of this.waiting.splice(0)) send();
  }
}
