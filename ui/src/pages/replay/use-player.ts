/**
 * The replay player: a position in a list of captures, play / pause / step, a speed, and
 * breakpoints (capture ids) where playing stops.
 */
import { useCallback, useEffect, useState } from "react";
import type { Capture } from "../../api/types.ts";

export const SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];

/** However the captures were spaced in time, a step shows for at least this long at 1× … */
const MIN_STEP_MS = 250;
/** … and at most this long: long pauses of the crawl are not replayed as they were. */
const MAX_STEP_MS = 1500;

/** How long `from` is shown before `to` when playing at `speed`. */
export function stepDelay(from: Capture, to: Capture, speed: number): number {
  const gap = Date.parse(to.at) - Date.parse(from.at);
  const shown = Math.min(MAX_STEP_MS, Math.max(MIN_STEP_MS, Number.isFinite(gap) ? gap : 0));
  return shown / speed;
}

export interface Player {
  index: number;
  playing: boolean;
  speed: Speed;
  breakpoints: ReadonlySet<number>;
  select(index: number): void;
  play(): void;
  pause(): void;
  toggle(): void;
  stepForward(): void;
  stepBack(): void;
  setSpeed(speed: Speed): void;
  toggleBreakpoint(captureId: number): void;
}

export function usePlayer(items: Capture[], initialIndex = 0): Player {
  const [index, setIndex] = useState(initialIndex);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<Speed>(1);
  const [breakpoints, setBreakpoints] = useState<ReadonlySet<number>>(new Set());
  const last = items.length - 1;

  // The list may shrink (a kind filtered out): stay inside it.
  useEffect(() => {
    if (index > last && last >= 0) setIndex(last);
  }, [index, last]);

  useEffect(() => {
    if (!playing) return;
    const current = items[index];
    const next = items[index + 1];
    if (!current || !next) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(
      () => {
        setIndex(index + 1);
        if (breakpoints.has(next.id)) setPlaying(false);
      },
      stepDelay(current, next, speed),
    );
    return () => clearTimeout(timer);
  }, [playing, index, items, speed, breakpoints]);

  const select = useCallback((target: number) => setIndex(Math.max(0, Math.min(last, target))), [last]);
  const play = useCallback(() => {
    if (last < 1) return;
    // At the end, playing starts again from the beginning.
    setIndex((current) => (current >= last ? 0 : current));
    setPlaying(true);
  }, [last]);
  const pause = useCallback(() => setPlaying(false), []);
  const stepForward = useCallback(() => {
    setPlaying(false);
    setIndex((current) => Math.min(last, current + 1));
  }, [last]);
  const stepBack = useCallback(() => {
    setPlaying(false);
    setIndex((current) => Math.max(0, current - 1));
  }, []);
  const toggleBreakpoint = useCallback(
    (captureId: number) =>
      setBreakpoints((current) => {
        const next = new Set(current);
        if (!next.delete(captureId)) next.add(captureId);
        return next;
      }),
    [],
  );

  return {
    index: Math.max(0, Math.min(index, last)),
    playing,
    speed,
    breakpoints,
    select,
    play,
    pause,
    toggle: () => (playing ? pause() : play()),
    stepForward,
    stepBack,
    setSpeed,
    toggleBreakpoint,
  };
}

/** Space plays or pauses, the arrow keys step; not while typing in a field. */
export function usePlayerKeys(player: Player): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
      const action = {
        " ": player.toggle,
        ArrowRight: player.stepForward,
        ArrowDown: player.stepForward,
        ArrowLeft: player.stepBack,
        ArrowUp: player.stepBack,
      }[event.key];
      if (!action) return;
      // Also keeps a focused button from being clicked by the same space.
      event.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [player]);
}
