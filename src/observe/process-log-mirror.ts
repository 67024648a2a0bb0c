/**
 * The seam between the engine's run logs and the process log: the engine announces every run log
 * line on its event bus (`log.written`, the same line it stores in the database), and this
 * listener writes it to the process log too, with the run's id. It also keeps which runs this
 * process executes, for crash reports.
 */
import type { TrawlEvent } from "../core/index.ts";
import { processLog, processLogOpen } from "./process-log.ts";

const executing = new Set<string>();

/**
 * A listener for an engine's event bus (the app subscribes it): mirrors run log lines into the
 * process log (component `run`) and notes runs starting and finishing here. Never throws.
 */
export function mirrorRunEvent(event: TrawlEvent): void {
  switch (event.type) {
    case "run.started":
      executing.add(event.runId);
      processLog("engine", event.runId).info(event.resumed ? "run resumed" : "run started");
      break;
    case "run.finished":
      if (executing.delete(event.runId))
        processLog("engine", event.runId).info(`run finished: ${event.status}`);
      break;
    case "log.written":
      if (processLogOpen()) processLog("run", event.runId)[event.level](event.message);
      break;
    default:
  }
}

/** The runs this process has started or resumed and not yet seen finish (oldest first). */
export function executingRunIds(): string[] {
  return [...executing];
}
