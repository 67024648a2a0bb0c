import { availableParallelism } from "node:os";
import { configFor } from "../core/index.ts";

/** Most parse threads a crawl starts, whatever the machine. */
const MAX_PARSE_THREADS = 4;
/**
 * Parse threads a crawl uses: `TRAWL_PARSE_THREADS` of `env` when set (0 turns them off; the
 * configuration refuses anything but a whole number), else one per core beyond the two that the crawl's own thread
 * and the queue's writer thread use, at least one from two cores on, at most
 * {@link MAX_PARSE_THREADS}. On two cores one parse thread pays although the cores are shared
 * (the crawl's thread mostly waits for sockets, the writer for commits); a second one does not.
 */
export function defaultParseThreads(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = availableParallelism(),
): number {
  const configured = configFor(env).parseThreads;
  if (configured !== undefined) return configured;
  if (cores < 2) return 0;
  return Math.min(MAX_PARSE_THREADS, Math.max(1, cores - 2));
}
