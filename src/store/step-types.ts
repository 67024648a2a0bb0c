/** Storage contract of a run's step checkpoints. */
import type { StepStatus } from "../core/contract/runs.ts";

/** A step's checkpoint. */
export interface StepRecord {
  runId: string;
  index: number;
  name: string;
  kind: string;
  status: StepStatus;
  startedAt: number | null;
  finishedAt: number | null;
  recordsOut: number | null;
  result: Record<string, unknown> | null;
}

export interface StepStore {
  list(runId: string): Promise<StepRecord[]>;
  start(runId: string, index: number, now: number): Promise<void>;
  /** The checkpoint: marks a step done with its result. */
  finish(
    runId: string,
    index: number,
    recordsOut: number,
    result: Record<string, unknown>,
    now: number,
  ): Promise<void>;
}
