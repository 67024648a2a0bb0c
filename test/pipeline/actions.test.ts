/** Page actions and the login in definitions: their forms, env references, and the errors of bad ones. */
import { describe, expect, it } from "vitest";
import { compileDefinition } from "../../src/pipeline/compile.ts";
import { describeAction } from "../../src/fetch/index.ts";
import { DefinitionError } from "../../src/pipeline/errors.ts";
import { parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";
import { redact, resolveTemplate } from "../../src/fetch/index.ts";

const yaml = (pages: string, extra = "") => `name: acts
start: http://127.0.0.1:9/
engine: browser
${extra}
pages:
${pages}`;

function problems(text: string): string[] {
  try {
    parseDefinitionYaml(text, "acts.yaml");
  } catch (error) {
    if (error instanceof DefinitionError)
      return error.problems.map((p) => `${p.line}:${p.path} ${p.message}`);
    throw error;
  }
  return [];
}

describe("page actions", () => {
  it("compiles every action form, and lists the environment variables they read", () => {
    const definition = parseDefinitionYaml(
      yaml(
        `  page:
    actions:
      - click: button.more
      - fill: { selector: "#q", value: "{{ env.QUERY }} shoes" }
      - select: { selector: "#sort", value: price }
      - press: Enter
      - press: { key: Tab, selector: "#q" }
      - scroll: bottom
      - scroll: { times: 3 }
      - scroll: { until: no_new_content, max: 10, wait: 2s }
      - wait: .results
      - wait: 1.5s
      - wait: 250
      - evaluate: "document.querySelector('.cookie-banner')?.remove()"
    record: { title: h1 }`,
        `browser:
  login:
    url: http://127.0.0.1:9/login
    actions: [{ fill: { selector: "#pass", value: "{{ env.PASS }}" } }, { click: button }]
    logged_in: .welcome`,
      ),
      "acts.yaml",
    );
    const scraper = compileDefinition(definition);
    expect(scraper.pages.page!.load!.actions).toEqual([
      { type: "click", selector: "button.more" },
      { type: "fill", selector: "#q", value: "{{ env.QUERY }} shoes" },
      { type: "select", selector: "#sort", value: "price" },
      { type: "press", key: "Enter" },
      { type: "press", key: "Tab", selector: "#q" },
      { type: "scroll", times: 1, untilStable: false, waitMs: 1000 },
      { type: "scroll", times: 3, untilStable: false, waitMs: 1000 },
      { type: "scroll", times: 10, untilStable: true, waitMs: 2000 },
      { type: "wait", selector: ".results" },
      { type: "wait", ms: 1500 },
      { type: "wait", ms: 250 },
      { type: "evaluate", script: "document.querySelector('.cookie-banner')?.remove()" },
    ]);
    expect(scraper.browser?.login).toMatchObject({ url: "http://127.0.0.1:9/login", loggedIn: ".welcome" });
    expect(scraper.envNames.sort()).toEqual(["PASS", "QUERY"]);
    // Descriptions (logs, recordings) show the template, never a value.
    expect(describeAction(scraper.browser!.login!.actions[0]!)).toBe('fill #pass with "{{ env.PASS }}"');
  });

  it("reports bad actions with their line and field", () => {
    const found = problems(
      yaml(`  page:
    actions:
      - click: "a["
      - fill: { selector: "#q", value: "{{ secrets.X }}" }
      - { click: a, press: Enter }
      - scroll: sideways`),
    );
    expect(found).toEqual([
      "8:pages.page.actions.0.click invalid CSS selector",
      '9:pages.page.actions.1.fill.value only "{{ env.NAME }}" (NAME: letters, digits, _) and "{{ secret.NAME }}" (a letter, then letters, digits, _, -) can be used inside {{ }}',
      "10:pages.page.actions.2 one action per list item: found click and press",
      '11:pages.page.actions.3.scroll expected "bottom" or { times, until: no_new_content, max, wait }',
    ]);
  });

  it("refuses actions and a login where no page is loaded in the browser", () => {
    const http = `name: acts
start: http://127.0.0.1:9/
browser:
  login: { url: "http://127.0.0.1:9/login", actions: [{ click: button }] }
pages:
  page:
    actions: [{ click: button }]`;
    const found = problems(http);
    expect(found).toContainEqual(
      expect.stringMatching(/pages\.page\.actions "actions" needs engine: browser/),
    );
    expect(found).toContainEqual(
      expect.stringMatching(/browser\.login a login needs a page type with engine: browser/),
    );
  });
});

describe("{{ env.NAME }}", () => {
  it("fills in values from the environment and redacts them from messages", () => {
    const resolved = resolveTemplate("{{ env.USER_X }}:{{env.PASS_X}}", { USER_X: "ann", PASS_X: "s3cret" });
    expect(resolved).toEqual({ value: "ann:s3cret", secrets: ["ann", "s3cret"] });
    expect(redact("typed s3cret into #pass", resolved.secrets)).toBe("typed *** into #pass");
    expect(() => resolveTemplate("{{ env.NOPE_X }}", {})).toThrow(/environment variable NOPE_X is not set/);
  });
});
