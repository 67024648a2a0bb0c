/**
 * `trawl secrets set NAME` on a terminal: the value is typed at a prompt that does not echo it.
 * The terminal is a real pseudo-terminal from util-linux's `script`, which runs the command on it
 * and forwards what the test writes as keystrokes.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/index.ts";
import { SecretVault } from "../../src/security/index.ts";
import { makeWorkDir, REPO_ROOT } from "../cli/run-cli.ts";

const TYPED = "tty-canary-R2d9";

describe("trawl secrets set on a terminal", () => {
  it("asks at a prompt that does not echo, and keeps what was typed (Backspace included)", async () => {
    const { home } = await makeWorkDir();
    const command = `${JSON.stringify(process.execPath)} bin/trawl.js secrets set TTY_TOKEN`;
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: REPO_ROOT,
      env: { ...process.env, TRAWL_HOME: home, TRAWL_DEBUG: "" },
    });
    let screen = "";
    const prompted = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        screen += chunk.toString();
        if (screen.includes("value of TTY_TOKEN: ")) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await prompted;
    // The last character typed twice and rubbed out once with Backspace (DEL), then Enter.
    child.stdin.write(`${TYPED}x\u007f\r`);
    expect(await exited).toBe(0);
    expect(screen).toContain("created secret TTY_TOKEN");
    expect(screen).not.toContain(TYPED.slice(4));

    const store = openSqliteStore(join(home, "trawl.db"));
    try {
      const vault = new SecretVault({ store: store.secrets, keysDir: join(home, "keys") });
      expect((await vault.forRun(["TTY_TOKEN"])).get("TTY_TOKEN")).toBe(TYPED);
    } finally {
      await store.close();
    }
  }, 60_000);
});
