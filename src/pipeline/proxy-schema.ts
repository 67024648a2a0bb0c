/**
 * `proxy:` and `proxies:` with `rotate:` of a definition: where its requests leave from. They sit
 * at the top level beside `headers:` and `cookies:` (how requests go out, for every target and
 * page type, in both engines), not under `politeness:`, which is about the pace a site is asked at.
 */
import { z } from "zod";
import { envNamesIn, proxyUrlProblem, secretNamesIn, type ProxySettings } from "../fetch/index.ts";
import { templateSchema } from "./template.ts";

/** A proxy URL: `http://`, `https://` or `socks5://`, a password only from `{{ env.NAME }}`. */
export const proxyUrlSchema = templateSchema.superRefine((text, ctx) => {
  const problem = proxyUrlProblem(text);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The top-level keys. */
export const proxyShape = {
  /** One proxy every request goes through. */
  proxy: proxyUrlSchema.optional(),
  /** Several proxies, spread by `rotate`. */
  proxies: z.array(proxyUrlSchema).min(1).optional(),
  /** How requests are spread over `proxies`. @defaultValue round_robin */
  rotate: z.enum(["round_robin", "sticky_per_host", "on_block"]).optional(),
};

type ProxyKeys = {
  proxy?: string | undefined;
  proxies?: string[] | undefined;
  rotate?: ProxySettings["rotate"] | undefined;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * `proxy` and `proxies` exclude each other, `rotate` needs `proxies`; the browser cannot send
 * credentials to a SOCKS5 proxy (Chromium does not support it).
 */
export function checkProxies(def: unknown, ctx: z.RefinementCtx, usesBrowser: boolean): void {
  if (!isObject(def)) return;
  if (def.proxy !== undefined && def.proxies !== undefined) {
    const message = 'give either "proxy" (one) or "proxies" (several, with rotate), not both';
    ctx.addIssue({ code: "custom", path: ["proxies"], message });
  }
  if (def.rotate !== undefined && def.proxies === undefined) {
    const message = 'rotate spreads requests over "proxies": list them (one proxy is "proxy: URL")';
    ctx.addIssue({ code: "custom", path: ["rotate"], message });
  }
  const urls = [def.proxy, ...(Array.isArray(def.proxies) ? def.proxies : [])];
  urls.forEach((url, i) => {
    if (!usesBrowser || typeof url !== "string" || !/^socks5:\/\/[^@/]+@/i.test(url)) return;
    const message =
      "the browser engine cannot log in to a SOCKS5 proxy: use an http(s) proxy for browser pages";
    const path = def.proxy !== undefined ? ["proxy"] : ["proxies", i - 1];
    ctx.addIssue({ code: "custom", path, message });
  });
}

/** The proxies of a validated definition; undefined when it names none. */
export function compileProxies(def: ProxyKeys): ProxySettings | undefined {
  const urls = def.proxy !== undefined ? [def.proxy] : def.proxies;
  if (!urls) return undefined;
  return { urls, rotate: def.rotate ?? "round_robin" };
}

/** The environment variables the proxy URLs read. */
export function proxyEnvNames(settings: ProxySettings | undefined): string[] {
  return (settings?.urls ?? []).flatMap(envNamesIn);
}

/** The secrets the proxy URLs read. */
export function proxySecretNames(settings: ProxySettings | undefined): string[] {
  return (settings?.urls ?? []).flatMap(secretNamesIn);
}
