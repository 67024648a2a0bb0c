/** The replay layer's error catalogue: a run's recording and what it holds. */
import { defineErrors, errorFactory, NotFoundError } from "../core/index.ts";

/** Every code of recordings and replay, with its message shape, kind and HTTP status. */
export const REPLAY_ERRORS = defineErrors({
  TRAWL_ERR_REPLAY_NO_RECORDING: {
    kind: "not_found",
    message: "run {runId} has no recording; run it with --record",
  },
  TRAWL_ERR_REPLAY_CAPTURE_NOT_FOUND: { kind: "not_found", message: "no capture {captureId} in run {runId}" },
  TRAWL_ERR_REPLAY_NO_BODY: { kind: "not_found", message: "capture {captureId} of run {runId} has no body" },
  TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND: {
    kind: "not_found",
    message: "no recorded page of run {runId} holds record {record} (was the run recorded?)",
  },
});

/** Makes an error of {@link REPLAY_ERRORS}. */
export const replayError = errorFactory(REPLAY_ERRORS);

/** The run recorded nothing an export can use: no page and no network response. */
export class NoRecordingError extends NotFoundError {
  constructor(runId: string) {
    super("TRAWL_ERR_REPLAY_NO_RECORDING", `run ${runId} has no recording; run it with --record`, {
      details: { runId },
    });
  }
}
