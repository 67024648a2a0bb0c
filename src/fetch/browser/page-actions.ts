/**
 * Browser actions on a loaded page. Values are resolved from the environment and the secrets
 * vault as each action runs and kept out of every message: descriptions show the template,
 * errors have values redacted.
 */
import type { Page } from "playwright-core";
import { describeAction } from "./describe-action.ts";
import { redact, resolveTemplate, type SecretSource } from "../env-template.ts";
import type { PageAction } from "../settings.ts";
import type { CaptureSink } from "../types.ts";

/** An action that failed, with a message safe to log. */
export class ActionError extends Error {
  constructor(
    readonly action: string,
    message: string,
  ) {
    super(`${action}: ${message}`);
  }
}

export interface ActionOptions {
  /** Milliseconds left for everything the page still does. */
  remaining(): number;
  capture?: CaptureSink | undefined;
  env?: NodeJS.ProcessEnv;
  /** Values of `{{ secret.NAME }}`. */
  secrets?: SecretSource | undefined;
}

/** Runs `actions` in order; the first failure throws an {@link ActionError}. */
export async function runActions(
  page: Page,
  actions: readonly PageAction[],
  options: ActionOptions,
): Promise<void> {
  for (const action of actions) {
    const description = describeAction(action);
    const started = Date.now();
    let failure: string | undefined;
    try {
      await perform(page, action, options);
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      failure = redact(message, secretsOf(action, options));
    }
    const capture = options.capture;
    if (capture?.record) {
      const screenshot = await page.screenshot({ timeout: 5_000 }).catch(() => undefined);
      await capture.add({
        kind: "action",
        at: started,
        pageUrl: page.url(),
        action: description,
        durationMs: Date.now() - started,
        ...(failure !== undefined && { error: failure }),
        ...(screenshot && { screenshot }),
      });
    }
    if (failure !== undefined) throw new ActionError(description, failure);
  }
}

async function perform(page: Page, action: PageAction, options: ActionOptions): Promise<void> {
  const timeout = options.remaining();
  switch (action.type) {
    case "click":
      await page.click(action.selector, { timeout });
      return;
    case "fill": {
      const { value } = resolveTemplate(action.value, options.env, options.secrets);
      await page.fill(action.selector, value, { timeout });
      return;
    }
    case "select": {
      const { value } = resolveTemplate(action.value, options.env, options.secrets);
      await page.selectOption(action.selector, value, { timeout });
      return;
    }
    case "press":
      if (action.selector) await page.press(action.selector, action.key, { timeout });
      else await page.keyboard.press(action.key);
      return;
    case "scroll":
      await scroll(page, action, options);
      return;
    case "wait":
      if (action.selector) await page.waitForSelector(action.selector, { state: "attached", timeout });
      if (action.ms !== undefined) await page.waitForTimeout(Math.min(action.ms, timeout));
      return;
    case "evaluate":
      await page.evaluate(action.script);
      return;
  }
}

/**
 * Scrolls to the bottom `times` times, each time waiting up to `waitMs` for the page to grow;
 * with `untilStable`, stops at the first scroll after which it did not.
 */
async function scroll(
  page: Page,
  action: Extract<PageAction, { type: "scroll" }>,
  options: ActionOptions,
): Promise<void> {
  for (let i = 0; i < action.times; i++) {
    const before = await pageHeight(page);
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement?.scrollHeight ?? 0));
    const grew = await page
      .waitForFunction((height) => (document.scrollingElement?.scrollHeight ?? 0) > height, before, {
        timeout: Math.max(1, Math.min(action.waitMs, options.remaining())),
        polling: 50,
      })
      .then(
        () => true,
        () => false,
      );
    if (!grew && action.untilStable) return;
  }
}

function pageHeight(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement?.scrollHeight ?? 0);
}

/** The secret values an action types, to redact from its failure. */
function secretsOf(action: PageAction, options: ActionOptions): string[] {
  if (!("value" in action)) return [];
  try {
    return resolveTemplate(action.value, options.env, options.secrets).secrets;
  } catch {
    return [];
  }
}
