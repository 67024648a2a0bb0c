/**
 * `trawl security pin set` on a terminal: the PIN is typed twice at prompts that do not echo it
 * (the secrets prompt's reader), and two that differ are refused. A real pseudo-terminal from
 * util-linux's `script`, as in secrets-prompt.test.ts.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { makeWorkDir, REPO_ROOT } from "../cli/run-cli.ts";

const PIN = "pass phrase 7391";

/** Runs `trawl security pin set` on a pseudo-terminal, typing each answer after its prompt. */
async function pinSetOnTerminal(
  home: string,
  answers: string[],
): Promise<{ code: number | null; screen: string }> {
  const command = `${JSON.stringify(process.execPath)} bin/trawl.js security pin set`;
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: REPO_ROOT,
    env: { ...process.env, TRAWL_HOME: home, TRAWL_DEBUG: "" },
  });
  let screen = "";
  const prompts = ["new PIN: ", "again: "];
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
    // Answer each prompt once it shows (the second only after the first was answered).
    const next = prompts[0];
    if (next && screen.includes(next)) {
      prompts.shift();
      child.stdin.write(`${answers.shift()}\r`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, screen };
}

describe("trawl security pin set on a terminal", () => {
  it("asks twice without echo and keeps the PIN; two that differ are refused", async () => {
    const { home } = await makeWorkDir();
    const differ = await pinSetOnTerminal(home, [PIN, `${PIN}x`]);
    expect(differ.code).toBe(2);
    expect(differ.screen).toContain("the two new PINs differ");

    const set = await pinSetOnTerminal(home, [PIN, PIN]);
    expect(set.code, set.screen).toBe(0);
    expect(set.screen).toContain("PIN set");
    expect(set.screen).not.toContain("phrase");

    const app = await App.open({ home });
    try {
      await expect(app.lock.unlock(PIN)).resolves.toMatchObject({ name: expect.stringMatching(/^session /) });
    } finally {
      await app.close();
    }
  }, 60_000);
});
