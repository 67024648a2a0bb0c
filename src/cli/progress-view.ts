import cliProgress from "cli-progress";
import type { EventBus, TargetProgress, TrawlEvent } from "../core/index.ts";

/** Seconds between plain progress lines when stderr is not a terminal. */
const PLAIN_EVERY_MS = 2000;

/**
 * Shows a run's progress on stderr: one live bar per target on a terminal, plain lines
 * otherwise (CI logs, pipes). Subscribes to the engine's events; returns the unsubscribe.
 */
export function showProgress(
  bus: EventBus,
  runId: string,
  stream: NodeJS.WriteStream = process.stderr,
): () => void {
  const view = stream.isTTY ? new BarView(stream) : new PlainView(stream);
  const unsubscribe = bus.subscribe((event) => {
    if ("runId" in event && event.runId === runId) view.on(event);
  });
  return () => {
    unsubscribe();
    view.close();
  };
}

interface View {
  on(event: TrawlEvent): void;
  close(): void;
}

function describe(t: TargetProgress): string {
  return `${t.pagesDone}/${t.pagesKnown} pages, ${t.records} records, ${t.errors} errors`;
}

class BarView implements View {
  private readonly multibar: cliProgress.MultiBar;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private readonly width: number;

  constructor(stream: NodeJS.WriteStream) {
    this.width = 12;
    this.multibar = new cliProgress.MultiBar(
      {
        stream,
        clearOnComplete: false,
        hideCursor: true,
        format: "{name} {bar} {value}/{total} pages | {records} records | {errors} errors | {status}",
        barsize: 28,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  on(event: TrawlEvent): void {
    if (event.type === "progress.updated") {
      for (const target of event.targets) this.update(target);
    } else if (event.type === "log.written" && (event.level === "warn" || event.level === "error")) {
      this.multibar.log(`${event.level}: ${event.message}\n`);
    } else if (event.type === "step.started" && event.step !== "crawl") {
      this.multibar.log(`step ${event.step}…\n`);
    }
  }

  private update(target: TargetProgress): void {
    const payload = {
      name: target.name.padEnd(this.width).slice(0, Math.max(this.width, target.name.length)),
      records: target.records,
      errors: target.errors,
      status: target.status,
    };
    const bar = this.bars.get(target.name);
    if (bar) {
      bar.setTotal(Math.max(1, target.pagesKnown));
      bar.update(target.pagesDone, payload);
    } else {
      this.bars.set(
        target.name,
        this.multibar.create(Math.max(1, target.pagesKnown), target.pagesDone, payload),
      );
    }
  }

  close(): void {
    this.multibar.stop();
  }
}

class PlainView implements View {
  private lastLineAt = 0;
  private latest: TargetProgress[] = [];

  constructor(private readonly stream: NodeJS.WriteStream) {}

  on(event: TrawlEvent): void {
    switch (event.type) {
      case "progress.updated":
        this.latest = event.targets;
        if (Date.now() - this.lastLineAt >= PLAIN_EVERY_MS) this.print();
        break;
      case "run.started":
        this.stream.write(`run ${event.runId} ${event.resumed ? "resumed" : "started"}\n`);
        break;
      case "step.finished":
        this.stream.write(`step ${event.step} done: ${event.records} records\n`);
        break;
      case "log.written":
        if (event.level === "warn" || event.level === "error")
          this.stream.write(`${event.level}: ${event.message}\n`);
        break;
      case "run.paused":
        this.stream.write(
          `run ${event.runId} paused (${event.reason}${event.step ? ` before ${event.step}` : ""})\n`,
        );
        break;
      default:
    }
  }

  private print(): void {
    this.lastLineAt = Date.now();
    for (const target of this.latest)
      this.stream.write(`  ${target.name}: ${describe(target)} (${target.status})\n`);
  }

  close(): void {
    if (this.latest.length > 0) this.print();
  }
}
