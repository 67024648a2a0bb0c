/**
 * `trawl security` through the real command (issue 15, items 1, 2 and 4): the PIN is read from
 * stdin (never argv), checked for strength, kept as an argon2id PHC string, changed only with the
 * current one, removed; API tokens are shown once and kept hashed; auto-lock; every change logged.
 */
import { describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { makeWorkDir, parseJson, runCli } from "../cli/run-cli.ts";

describe("trawl security", () => {
  it("sets, changes and removes the PIN from stdin, never from argv", { timeout: 60_000 }, async () => {
    const { home } = await makeWorkDir();
    const cli = (args: string[], input?: string) =>
      runCli(["security", ...args], { home, ...(input !== undefined && { input }) });
    const status = () => lockState(home);
    // Three independent groups at once (each command starts a process: about a second).
    await Promise.all([pinCommands(cli, status), autoLock(cli, status), tokens(cli)]);

    const app = await App.open({ home });
    try {
      const actions = (await app.audit.list({})).map((entry) => entry.action);
      expect(actions.filter((action) => action.startsWith("pin."))).toEqual([
        "pin.set",
        "pin.changed",
        "pin.removed",
      ]);
      expect(actions.filter((action) => action.startsWith("token."))).toEqual([
        "token.created",
        "token.revoked",
      ]);
      // auto-lock 5, then off
      expect(actions.filter((action) => action === "settings.changed")).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});

type Cli = (args: string[], input?: string) => ReturnType<typeof runCli>;
type Status = typeof lockState extends (home: string) => infer R ? () => R : never;

async function pinCommands(cli: Cli, status: Status): Promise<void> {
  const argv = await cli(["pin", "set", "123456"], "123456\n");
  expect(argv.code, argv.stderr).toBe(2);
  expect(argv.stderr).toContain("a PIN is never taken from the command line");
  expect(argv.stderr).not.toMatch(/PIN set/);
  expect((await status()).pinSet).toBe(false);

  const short = await cli(["pin", "set"], "12345\n");
  expect([short.code, short.stderr]).toEqual([2, expect.stringContaining("has 5 digits")]);
  const shortPhrase = await cli(["pin", "set"], "abc-12345\n");
  expect([shortPhrase.code, shortPhrase.stderr]).toEqual([2, expect.stringContaining("has 9 characters")]);
  expect((await status()).pinSet).toBe(false);

  const set = await cli(["pin", "set"], "123456\n");
  expect([set.code, set.stdout]).toEqual([0, "PIN set\n"]);
  expect((await cli(["pin", "set"], "654321\n")).stderr).toContain("a PIN is set already");
  expect((await status()).pinHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[^$]+\$[^$]+$/);

  const wrong = await cli(["pin", "change"], "000000\ncorrect horse battery\n");
  expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining("wrong PIN")]);
  const changed = await cli(["pin", "change"], "123456\ncorrect horse battery\n");
  expect([changed.code, changed.stdout]).toEqual([0, "PIN changed\n"]);
  expect((await status()).pinSet).toBe(true);

  const removed = await cli(["pin", "remove"]);
  expect([removed.code, removed.stdout]).toEqual([0, "PIN removed\n"]);
  expect((await status()).pinSet).toBe(false);
  expect((await cli(["pin", "remove"])).code).toBe(2);
}

async function autoLock(cli: Cli, status: Status): Promise<void> {
  expect((await cli(["auto-lock", "5"])).code).toBe(0);
  expect((await status()).idleMinutes).toBe(5);
  expect((await cli(["auto-lock", "off"])).code).toBe(0);
  expect((await status()).idleMinutes).toBe(0);
  expect((await cli(["auto-lock", "soon"])).code).toBe(2);
  const shown = await cli(["status"]);
  expect(shown.stdout).toContain("auto-lock: off");
}

async function tokens(cli: Cli): Promise<void> {
  const created = await cli(["token", "create", "ci", "--json"]);
  const { token } = parseJson<{ token: string }>(created);
  expect(token).toMatch(/^trawl_[A-Za-z0-9_-]{43}$/);
  const listed = await cli(["token", "list"]);
  expect(listed.stdout).toContain("ci");
  expect(listed.stdout).not.toContain(token);
  expect((await cli(["token", "create", "ci"])).code).toBe(2);
  expect((await cli(["token", "revoke", "ci"])).code).toBe(0);
  expect((await cli(["token", "revoke", "ci"])).code).toBe(2);
}

/** The lock's row, read in this process. */
async function lockState(home: string) {
  const app = await App.open({ home });
  try {
    const state = await app.store.lock.state();
    return { ...state, pinSet: state.pinHash !== null, idleMinutes: state.idleMinutes ?? 15 };
  } finally {
    await app.close();
  }
}
