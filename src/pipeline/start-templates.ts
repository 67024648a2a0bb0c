/**
 * `{{ secret.NAME }}` and `{{ env.NAME }}` in start URLs and POST bodies (an API key in a query
 * string, a password in a search form): which names a run needs, and the hosts each reference may
 * be sent to (the fetcher fills one in only for the hosts the definition wrote it for; see
 * fetch/wire-template.ts).
 */
import { hostOf, templateKeysIn, type TemplateHosts, type TemplateKey } from "../fetch/index.ts";
import type { CompiledTarget } from "./types.ts";

/** What the start requests of a definition read from the vault and the environment. */
export interface StartTemplates {
  /** Absent when no start URL or body holds a reference. */
  hosts?: TemplateHosts;
  envNames: string[];
  secretNames: string[];
}

/** The references of the targets' start URLs and POST requests (URL and body), by host. */
export function startTemplates(targets: readonly CompiledTarget[]): StartTemplates {
  const hosts: Record<TemplateKey, string[]> = {};
  const add = (url: string, text: string) => {
    for (const key of templateKeysIn(text)) {
      const list = (hosts[key] ??= []);
      if (!list.includes(hostOf(url))) list.push(hostOf(url));
    }
  };
  for (const target of targets) {
    for (const url of target.start) add(url, url);
    for (const post of target.posts ?? []) add(post.url, `${post.url} ${post.body.text}`);
  }
  const keys = Object.keys(hosts);
  const names = (kind: string) =>
    keys.filter((key) => key.startsWith(`${kind}.`)).map((key) => key.slice(kind.length + 1));
  return {
    ...(keys.length > 0 && { hosts }),
    envNames: names("env"),
    secretNames: names("secret"),
  };
}
