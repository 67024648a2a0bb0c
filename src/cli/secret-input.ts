/**
 * Reads a secret value the way `trawl secrets set` takes it: from a prompt that does not echo when
 * stdin is a terminal, else all of stdin (a pipe, a file). Never from the command line, where
 * other users see it in the process list and it stays in the shell's history.
 */

/** The most bytes read from stdin: more is refused by the caller's own limit anyway. */
const MAX_INPUT_BYTES = 1_048_576;

/**
 * The value typed at a hidden prompt (on stderr), or read from stdin, without the one line break
 * that ends it (`echo token |` and a typed Enter add one).
 */
export async function readSecretInput(prompt: string): Promise<string> {
  const text = process.stdin.isTTY ? await readHidden(prompt) : await readAll();
  return text.replace(/\r?\n$/, "");
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) break;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A line typed in raw mode, each key echoed as nothing; Ctrl-C ends the command (exit 130). */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows: keys typed as soon as it appears must not be echoed.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.resume();
  return new Promise((resolve) => {
    let typed = "";
    const done = (value: string | undefined) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (value === undefined) {
        process.exitCode = 130;
        process.exit(130);
      }
      resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done(typed);
        if (char === "\u0003") return done(undefined);
        if (char === "\u007f" || char === "\b") typed = [...typed].slice(0, -1).join("");
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}
