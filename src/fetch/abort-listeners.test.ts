import { describe, expect, it } from "vitest";
import { onAbort } from "./abort-listeners.ts";

describe("onAbort", () => {
  it("calls every waiting callback once with the reason, and none that stopped listening", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, (reason) => calls.push(`a:${String(reason)}`));
    const stop = onAbort(controller.signal, () => calls.push("b"));
    onAbort(controller.signal, () => calls.push("c"));
    stop();
    controller.abort("stop");
    controller.abort("again");
    expect(calls).toEqual(["a:stop", "c"]);
  });

  it("calls at once for a signal that already aborted, and does nothing without a signal", () => {
    const calls: unknown[] = [];
    onAbort(AbortSignal.abort("gone"), (reason) => calls.push(reason));
    expect(calls).toEqual(["gone"]);
    expect(() => onAbort(undefined, () => calls.push("never"))()).not.toThrow();
    expect(calls).toEqual(["gone"]);
  });
});
