import { hostname } from "node:os";
import { isProcessAlive } from "../core/index.ts";
import type { SchedulerInstance } from "../core/contract/schedules.ts";
import type { ScheduleStore, SchedulerProcess } from "../store/index.ts";

/** A scheduler whose heartbeat is older than this is gone. */
const STALE_AFTER_MS = 15_000;

/** Scheduler processes that are alive: a fresh heartbeat, and on this host a live pid. */
export async function liveSchedulers(schedules: ScheduleStore, now: number): Promise<SchedulerProcess[]> {
  return (await schedules.processes()).filter(
    (p) => now - p.heartbeatAt <= STALE_AFTER_MS && (p.host !== hostname() || isProcessAlive(p.pid)),
  );
}

/** Every live scheduler, and which one leads. */
export async function schedulerStatus(schedules: ScheduleStore, now: number): Promise<SchedulerInstance[]> {
  const live = await liveSchedulers(schedules, now);
  const leader = await schedules.leader();
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return live.map((p) => ({
    pid: p.pid,
    host: p.host,
    leader: leader?.owner === p.owner && leader.expiresAt > now,
    startedAt: iso(p.startedAt)!,
    lastCheck: iso(p.checkedAt),
    schedulesChecked: p.schedulesChecked,
    runsStarted: p.runsStarted,
    nextDue: iso(p.nextDueAt),
  }));
}
