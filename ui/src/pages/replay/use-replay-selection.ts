import { useEffect, useMemo, useRef, useState } from "react";
import { CAPTURE_KINDS, type Capture, type CaptureKind, type CaptureSource } from "../../api/types.ts";
import { usePlayer, usePlayerKeys } from "./use-player.ts";

/** The order they happened in (ties: the order they were stored). */
const byTime = (a: Capture, b: Capture) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id;

/** Captures of the shown kinds, in order. */
function visible(captures: Capture[], kinds: ReadonlySet<CaptureKind>): Capture[] {
  return captures.filter((capture) => kinds.has(capture.kind)).sort(byTime);
}

/**
 * Which captures the replay shows and which one is selected: the kinds ticked, the player over
 * them (with its keys), opening on `initialCapture` and going once to the record's `source` when
 * it arrives; toggling a kind stays on the selected capture, or the last one shown before it.
 */
export function useReplaySelection(
  captures: Capture[],
  initialCapture: number | null,
  source: CaptureSource | undefined,
) {
  const [kinds, setKinds] = useState<ReadonlySet<CaptureKind>>(new Set(CAPTURE_KINDS));
  const items = useMemo(() => visible(captures, kinds), [captures, kinds]);
  const player = usePlayer(
    items,
    Math.max(
      0,
      items.findIndex((capture) => capture.id === initialCapture),
    ),
  );
  usePlayerKeys(player);
  const selected = items[player.index];

  const show = (captureId: number, within = items) => {
    const index = within.findIndex((capture) => capture.id === captureId);
    if (index >= 0) player.select(index);
  };
  // The source arrives after the captures: go to it once.
  const shownSource = useRef<number | null>(null);
  useEffect(() => {
    if (!source || shownSource.current === source.capture.id) return;
    shownSource.current = source.capture.id;
    show(source.capture.id);
  });

  const toggleKind = (kind: CaptureKind) => {
    const next = new Set(kinds);
    if (!next.delete(kind)) next.add(kind);
    setKinds(next);
    // Stay on the selected capture, or (hidden now) on the last one shown before it.
    if (!selected) return;
    const shown = visible(captures, next);
    const before = shown.filter((capture) => byTime(capture, selected) <= 0);
    player.select(before.length > 0 ? before.length - 1 : 0);
  };
  const counts = Object.fromEntries(
    CAPTURE_KINDS.map((kind) => [kind, captures.filter((c) => c.kind === kind).length]),
  ) as Record<CaptureKind, number>;
  return { kinds, items, player, selected, show, toggleKind, counts };
}
