import { describe, expect, it } from "vitest";
import { JOB_BOARD_FAULTS, listCompanies } from "../../src/demo/index.ts";
import { get, startSite, type Page } from "./helpers.ts";

const listing = (slug: string, page: number) => `/jobs-board/companies/${slug}/jobs?page=${page}`;

describe("job board listings", () => {
  it("lists the configured companies on its index", async () => {
    const site = await startSite({ companies: 3 });
    const index = await get(site, "/jobs-board/");
    expect(
      index
        .$("li.company a")
        .map((_, a) => index.$(a).attr("href"))
        .get(),
    ).toEqual([listing("acme", 1), listing("globex", 1), listing("initech", 1)]);
    expect((await get(site, listing("umbrella", 1))).status).toBe(404);
  });

  it("pages through every job of a company, 10 per page, with next links", async () => {
    const site = await startSite({ faults: false });
    let page: Page = await get(site, listing("acme", 1));
    const announced = Number(/(\d+) open positions/.exec(page.$(".count").text())?.[1]);
    const ids: string[] = [];
    for (;;) {
      expect(page.status).toBe(200);
      const jobs = page.$("li.job");
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.length).toBeLessThanOrEqual(10);
      jobs.each((_, li) => {
        expect(page.$(li).find("a.title").text()).not.toBe("");
        expect(page.$(li).find(".location").text()).not.toBe("");
        ids.push(page.$(li).find("a.title").attr("href") ?? "");
      });
      const next = page.$("a.next").attr("href");
      if (next === undefined) break;
      page = await get(site, next);
    }
    expect(ids).toHaveLength(announced);
    expect(new Set(ids).size).toBe(announced);
    expect(ids[0]).toBe("/jobs-board/jobs/1001");
    expect(announced).toBe(listCompanies({ seed: 1, companies: 1, faults: false })[0]?.jobCount);
  });

  it("answers 404 for pages past the end and bad page numbers", async () => {
    const site = await startSite({ faults: false });
    const pages = Math.ceil((listCompanies({ seed: 1, companies: 1, faults: false })[0]?.jobCount ?? 0) / 10);
    expect((await get(site, listing("acme", pages))).status).toBe(200);
    expect((await get(site, listing("acme", pages + 1))).status).toBe(404);
    expect((await get(site, "/jobs-board/companies/acme/jobs?page=abc")).status).toBe(404);
    expect((await get(site, "/jobs-board/companies/acme/jobs")).status).toBe(200);
    expect((await get(site, "/jobs-board/jobs/1999")).status).toBe(404);
  });
});

describe("job detail pages", () => {
  it("show title, company, location, salary, posted date and tags", async () => {
    const site = await startSite({ faults: false });
    const { status, $ } = await get(site, "/jobs-board/jobs/2003");
    expect(status).toBe(200);
    expect($("[data-job-id]").attr("data-job-id")).toBe("2003");
    expect($("h1.job-title").text()).toMatch(/(Engineer|Analyst|Designer|Writer|Manager)$/);
    expect($(".company a").text()).toBe("Globex");
    expect($(".company a").attr("href")).toBe(listing("globex", 1));
    expect($("p.location").text()).not.toBe("");
    expect($(".salary").text()).toMatch(/^(Competitive|£\d{2},\d{3} – £\d{2,3},\d{3} a year)$/);
    expect($(".posted time").attr("datetime")).toMatch(/^2026-0[12]-\d{2}$/);
    expect($(".posted time").text()).toMatch(/^\d{1,2} (Jan|Feb) 2026$/);
    expect($(".tags li").length).toBeGreaterThanOrEqual(2);
  });

  it("include some jobs without salary figures", async () => {
    const site = await startSite({ faults: false });
    const salaries = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        (await get(site, `/jobs-board/jobs/${1001 + i}`)).$(".salary").text(),
      ),
    );
    expect(salaries).toContain("Competitive");
    expect(salaries.some((s) => s.startsWith("£"))).toBe(true);
  });
});

describe("job board faults", () => {
  it("answers 429 with Retry-After: 1 on the first request of a listing page, then 200", async () => {
    const site = await startSite();
    const slug = listCompanies({ seed: 1, companies: 5, faults: true })[
      JOB_BOARD_FAULTS.tooManyRequestsOnce.listing.company
    ]?.slug;
    expect(slug).toBe("globex");
    const path = listing("globex", JOB_BOARD_FAULTS.tooManyRequestsOnce.listing.page);
    const first = await get(site, path);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    const second = await get(site, path);
    expect(second.status).toBe(200);
    expect(second.$("li.job").length).toBeGreaterThan(0);
    expect((await get(site, listing("globex", 1))).status).toBe(200);
  });

  it("answers 429 once for one job page, again on a fresh site, never without faults", async () => {
    const path = `/jobs-board/jobs/${JOB_BOARD_FAULTS.tooManyRequestsOnce.jobId}`;
    for (let run = 0; run < 2; run++) {
      const site = await startSite();
      expect((await get(site, path)).status).toBe(429);
      expect((await get(site, path)).status).toBe(200);
    }
    const clean = await startSite({ faults: false });
    expect((await get(clean, path)).status).toBe(200);
  });

  it("holds slow job pages back by 300–800 ms", async () => {
    const site = await startSite();
    const started = performance.now();
    const page = await get(site, "/jobs-board/jobs/1003"); // index 3: 3 % 7 === 3
    expect(page.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });
});
