/**
 * The server's health as the API serves it (GET /api/health, GET /api/health/samples) and the
 * web app reads it. Imports nothing but TypeBox.
 */
import { Type, type Static } from "typebox";
import { SchedulerStatusSchema } from "./schedules.ts";
import { Nullable } from "./shared.ts";

const Space = Type.Object({ total: Type.Number(), free: Type.Number() });

/** The resource governor of the server's engine (docs/limits.md). */
export const GovernorHealthSchema = Type.Object({
  /** `high` from 90 % of the ceiling (new runs wait, running ones slow down), `critical` at it. */
  level: Type.Union([Type.Literal("ok"), Type.Literal("high"), Type.Literal("critical")]),
  /** The process's resident memory at the governor's last sample, and the ceiling, in bytes. */
  rss: Type.Number(),
  ceiling: Type.Number(),
  /** Runs waiting for memory before they start, first to start first. */
  waiting: Type.Array(Type.String()),
  /**
   * Runs executing here: the memory and CPU time charged to each and its limits (null: none).
   * Memory is the heap in use above the run's baseline, garbage included, until a full collection
   * confirms a limit (docs/limits.md).
   */
  runs: Type.Array(
    Type.Object({
      runId: Type.String(),
      memoryBytes: Type.Number(),
      cpuSeconds: Type.Number(),
      maxMemoryBytes: Nullable(Type.Number()),
      maxCpuSeconds: Nullable(Type.Number()),
    }),
  ),
});
export type GovernorHealth = Static<typeof GovernorHealthSchema>;

/** GET /api/health: the server, its machine, the engine and the schedulers, now. */
export const HealthSchema = Type.Object({
  status: Type.Literal("ok"),
  version: Type.String(),
  uptimeSeconds: Type.Integer(),
  machine: Type.Object({
    cpus: Type.Integer(),
    /** 1, 5 and 15 minute load averages (zeros on Windows). */
    load: Type.Array(Type.Number()),
    memory: Space,
    /** The data directory's file system; null when it cannot be read. */
    disk: Nullable(Space),
  }),
  process: Type.Object({
    rss: Type.Number(),
    heapUsed: Type.Number(),
    /** CPU time used since the process started, in microseconds. */
    cpu: Type.Object({ user: Type.Number(), system: Type.Number() }),
  }),
  engine: Type.Object({ activeRuns: Type.Array(Type.String()), queuedRuns: Type.Array(Type.String()) }),
  governor: GovernorHealthSchema,
  scheduler: SchedulerStatusSchema,
});
export type Health = Static<typeof HealthSchema>;

/** What the serving process measured at one instant (stored, kept at least 24 hours). */
export const HealthSampleSchema = Type.Object({
  /** Unix time in milliseconds. */
  at: Type.Integer(),
  /** The series: `serve`, sampled by the `trawl serve` process holding its lease. */
  role: Type.String(),
  process: Type.Object({
    /** The process that measured (`host:pid:nonce`); it changes when the server restarts. */
    id: Type.String(),
    rss: Type.Number(),
    heapUsed: Type.Number(),
    /** CPU time since the previous sample, in % of one core. */
    cpuPercent: Type.Number(),
    /** The event loop's lag over that interval, in ms (p99 and max); null when not measured. */
    eventLoopLagMs: Nullable(Type.Object({ p99: Type.Number(), max: Type.Number() })),
  }),
  machine: Type.Object({
    /** 1, 5 and 15 minute load averages. */
    load: Type.Array(Type.Number()),
    memory: Space,
    disk: Nullable(Space),
  }),
  runs: Type.Object({
    active: Type.Integer(),
    queued: Type.Integer(),
    /** Fetch attempts per second over every running run, since the previous sample. */
    requestsPerSecond: Type.Number(),
  }),
});
export type HealthSample = Static<typeof HealthSampleSchema>;

/** GET /api/health/samples: the stored samples of a time range, oldest first. */
export const HealthSamplesSchema = Type.Object({
  /** The range asked for (Unix ms): `from <= at < until`. */
  from: Type.Integer(),
  until: Type.Integer(),
  /** How often the server samples, and how long samples are kept. */
  intervalMs: Type.Integer(),
  retentionMs: Type.Integer(),
  samples: Type.Array(HealthSampleSchema),
});
export type HealthSamples = Static<typeof HealthSamplesSchema>;
