import type { CompiledStep, StepContext, StepResult } from "../pipeline/index.ts";
import type { ScrapedRecord } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { StageOutput } from "./stage-output.ts";

/**
 * Runs one post-crawl step: reads the previous stage, stores what the step emits as stage
 * `index`. The stage is cleared first, so a step interrupted by a crash is simply re-run.
 */
export async function runPostStep(
  store: Store,
  runId: string,
  step: CompiledStep,
  index: number,
  ctx: StepContext,
): Promise<{ records: number; result: StepResult }> {
  await store.records.clear(runId, index);
  const output = new StageOutput(store.records, runId, index - 1, index, step.filter === true);
  // Writing as the step pulls its next input gives natural backpressure without making emit async.
  async function* input(): AsyncIterable<ScrapedRecord> {
    try {
      for await (const page of store.records.readSourcedPages(runId, index - 1)) {
        for (const { data, source } of page) {
          const writing = output.offer(data as ScrapedRecord, source);
          if (writing) await writing;
          yield data as ScrapedRecord;
        }
      }
    } finally {
      output.endOfInput(); // also when the step stops reading early
    }
  }
  const result = (await step.run(input(), (record) => output.emit(record), ctx)) ?? {};
  await output.finish();
  return { records: output.count, result };
}
