import { processLog } from "../observe/index.ts";

/**
 * Ctrl-C (and SIGTERM) during a run: the first asks for a graceful stop (in-flight requests
 * finish, the run stays resumable), a second one exits at once with 130 (the run is found
 * interrupted and resumes from the database).
 */
export function onInterrupt(stop: () => void): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    // On disk before anything else happens (the process log writes synchronously).
    processLog("cli").warn(
      count === 1 ? `${signal}: stopping gracefully` : `${signal} again: exiting at once`,
    );
    if (count === 1) {
      process.stderr.write(
        "\nstopping gracefully (Ctrl-C again to quit at once; the run stays resumable)…\n",
      );
      stop();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
