import { formatNumber } from "../../lib/format.ts";
import { SPEEDS, type Player, type Speed } from "./use-player.ts";

/** Play, pause, step back and forward, speed; the position in the timeline. */
export function PlayerControls({ player, count }: { player: Player; count: number }) {
  return (
    <div className="toolbar player" data-testid="replay-controls">
      <button
        type="button"
        className="button"
        onClick={player.stepBack}
        disabled={player.index <= 0}
        title="Step back (←)"
        data-testid="replay-step-back"
      >
        ‹ Back
      </button>
      <button
        type="button"
        className="button primary"
        onClick={player.play}
        disabled={player.playing || count < 2}
        title="Play (space)"
        data-testid="replay-play"
      >
        ▶ Play
      </button>
      <button
        type="button"
        className="button"
        onClick={player.pause}
        disabled={!player.playing}
        title="Pause (space)"
        data-testid="replay-pause"
      >
        ❚❚ Pause
      </button>
      <button
        type="button"
        className="button"
        onClick={player.stepForward}
        disabled={player.index >= count - 1}
        title="Step forward (→)"
        data-testid="replay-step-forward"
      >
        Forward ›
      </button>
      <label className="muted">
        Speed{" "}
        <select
          value={player.speed}
          onChange={(e) => player.setSpeed(Number(e.target.value) as Speed)}
          data-testid="replay-speed"
        >
          {SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {speed}×
            </option>
          ))}
        </select>
      </label>
      <span className="muted" data-testid="replay-position" data-playing={player.playing}>
        {count === 0 ? "0 / 0" : `${formatNumber(player.index + 1)} / ${formatNumber(count)}`}
        {player.playing ? " · playing" : ""}
      </span>
      <span className="spacer" />
      <span className="muted small">space play/pause · ← → step · ● breakpoint</span>
    </div>
  );
}
