import type { CompiledStep, ScrapedRecord, StepContext, StepResult } from "../pipeline/types.ts";
import type { Store } from "../store/types.ts";

/** Records buffered before a write: big enough to amortise transactions, small enough for memory. */
const FLUSH_EVERY = 500;

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
  let buffer: ScrapedRecord[] = [];
  let written = 0;
  const flush = async () => {
    const batch = buffer;
    buffer = [];
    await store.records.append(runId, index, batch, written);
    written += batch.length;
  };
  // Flushing as the step pulls its next input gives natural backpressure without making emit async.
  async function* input(): AsyncIterable<ScrapedRecord> {
    for await (const page of store.records.readPages(runId, index - 1)) {
      for (const record of page) {
        if (buffer.length >= FLUSH_EVERY) await flush();
        yield record as ScrapedRecord;
      }
    }
  }
  const result = (await step.run(input(), (record) => buffer.push(record), ctx)) ?? {};
  await flush();
  return { records: written, result };
}
