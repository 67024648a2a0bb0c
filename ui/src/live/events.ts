/**
 * The app's one connection to GET /api/events. Every page subscribes here instead of polling.
 * The browser reconnects by itself (sending Last-Event-ID), so the server replays what was missed;
 * when it cannot, it sends `reset` and subscribers reload everything.
 */
import { useEffect, useRef, useSyncExternalStore } from "react";
import { STREAMED_EVENT_TYPES, type TrawlEvent, type TrawlEventType } from "../api/types.ts";

export type ConnectionState = "connecting" | "open" | "closed";
/** `reset` is not a trawl event: it tells the client it missed events and must reload. */
export type StreamMessage = TrawlEvent | { type: "reset"; reason?: string };

const STREAMED: (TrawlEventType | "reset")[] = [...STREAMED_EVENT_TYPES, "reset"];

const listeners = new Set<(message: StreamMessage) => void>();
const stateListeners = new Set<() => void>();
let source: EventSource | null = null;
let state: ConnectionState = "connecting";

function setState(next: ConnectionState) {
  if (next === state) return;
  state = next;
  stateListeners.forEach((listener) => listener());
}

/** Opens the stream once; later calls do nothing. */
export function connectEvents(url = "/api/events"): void {
  if (source) return;
  source = new EventSource(url);
  source.onopen = () => setState("open");
  // The browser retries by itself; CLOSED only happens when it gave up (e.g. a 4xx answer).
  source.onerror = () => setState(source?.readyState === EventSource.CLOSED ? "closed" : "connecting");
  for (const type of STREAMED) {
    source.addEventListener(type, (frame) => {
      let message: StreamMessage;
      try {
        message = { ...(JSON.parse((frame as MessageEvent<string>).data) as object), type } as StreamMessage;
      } catch {
        return;
      }
      for (const listener of listeners) {
        try {
          listener(message);
        } catch (error) {
          // One broken subscriber must not starve the others.
          console.error(error);
        }
      }
    });
  }
}

export function subscribe(listener: (message: StreamMessage) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Calls `handler` for every event while the component is mounted (always the latest handler). */
export function useLiveEvents(handler: (message: StreamMessage) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => subscribe((message) => latest.current(message)), []);
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(
    (onChange) => {
      stateListeners.add(onChange);
      return () => stateListeners.delete(onChange);
    },
    () => state,
  );
}
