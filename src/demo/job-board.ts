/**
 * The demo job board, mounted under `/jobs-board`: an index of companies, per-company paginated
 * listings (`/jobs-board/companies/acme/jobs?page=2`) and job detail pages (`/jobs-board/jobs/1004`).
 * With faults on, a few pages answer 429 once and a few are slow.
 */
import {
  escapeHtml,
  htmlResponse,
  notFound,
  parsePageNumber,
  type DemoResponse,
  type DemoRoutes,
} from "./html.ts";
import {
  companyBySlug,
  jobById,
  jobPageCount,
  jobsOnPage,
  listCompanies,
  type Company,
  type Job,
  type JobCatalogOptions,
} from "./job-catalog.ts";
import { hashString } from "./seeded.ts";

/** Where the job board is mounted. */
export const JOB_BOARD_PREFIX = "/jobs-board";

/** Options of {@link createJobBoard}: the catalogue's shape. */
export type JobBoardOptions = JobCatalogOptions;

/**
 * The job board's deliberate faults, active only when `faults` is on.
 * "Once" means the first request of that page since the site started; later requests succeed.
 */
export const JOB_BOARD_FAULTS = {
  /** Answered once with 429 and `Retry-After: 1`: listing page 2 of the 2nd company, job of id 1004. */
  tooManyRequestsOnce: { listing: { company: 1, page: 2 }, jobId: 1004 },
  /** Job detail pages whose index satisfies `index % 7 === 3` take 300–800 ms. */
  slowJobModulo: { divisor: 7, remainder: 3 },
  /** Listing page 1 of the 3rd company takes 500 ms. */
  slowListing: { company: 2, page: 1, delayMs: 500 },
} as const;

/** The seconds a 429 asks the client to wait. */
const RETRY_AFTER_SECONDS = 1;

/**
 * The job board's routes (all under {@link JOB_BOARD_PREFIX}). Each job board keeps its own
 * memory of which 429s it already served, so a fresh site throttles again.
 */
export function createJobBoard(options: JobBoardOptions): DemoRoutes {
  const throttled = new Set<string>();
  /** True the first time a fault key is seen. */
  const firstTime = (key: string) => !throttled.has(key) && Boolean(throttled.add(key));
  return (path, query) => {
    if (path !== JOB_BOARD_PREFIX && !path.startsWith(`${JOB_BOARD_PREFIX}/`)) return undefined;
    const rest = path.slice(JOB_BOARD_PREFIX.length);
    if (rest === "" || rest === "/") return indexPage(options);
    const listing = /^\/companies\/([a-z0-9-]+)\/jobs\/?$/.exec(rest);
    if (listing) {
      const company = companyBySlug(options, listing[1] ?? "");
      const page = parsePageNumber(query.get("page"));
      if (!company || page === undefined) return notFound(path);
      if (
        options.faults &&
        isThrottledListing(company, page) &&
        firstTime(`listing:${company.slug}:${page}`)
      ) {
        return tooManyRequests();
      }
      return listingPage(options, company, page) ?? notFound(path);
    }
    const detail = /^\/jobs\/([1-9]\d*)$/.exec(rest);
    const job = detail ? jobById(options, Number(detail[1])) : undefined;
    if (!job) return notFound(path);
    if (
      options.faults &&
      job.id === JOB_BOARD_FAULTS.tooManyRequestsOnce.jobId &&
      firstTime(`job:${job.id}`)
    ) {
      return tooManyRequests();
    }
    return { ...jobPage(job), delayMs: options.faults ? slowJobDelay(job) : 0 };
  };
}

function isThrottledListing(company: Company, page: number): boolean {
  const fault = JOB_BOARD_FAULTS.tooManyRequestsOnce.listing;
  return company.index === fault.company && page === fault.page;
}

function slowJobDelay(job: Job): number {
  const { divisor, remainder } = JOB_BOARD_FAULTS.slowJobModulo;
  return job.index % divisor === remainder ? 300 + (hashString(`slow:${job.id}`) % 501) : 0;
}

function tooManyRequests(): DemoResponse {
  return {
    status: 429,
    body: "<!doctype html>\n<title>Too many requests</title>\n<h1>Too many requests</h1>\n",
    headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
  };
}

function listingHref(company: Company, page: number): string {
  return `${JOB_BOARD_PREFIX}/companies/${company.slug}/jobs?page=${page}`;
}

function nav(): string {
  return `<nav><a href="/">home</a> | <a href="${JOB_BOARD_PREFIX}/">all companies</a></nav>`;
}

function indexPage(options: JobBoardOptions): DemoResponse {
  const items = listCompanies(options)
    .map(
      (c) =>
        `<li class="company"><a href="${listingHref(c, 1)}">${escapeHtml(c.name)}</a> (${c.jobCount} jobs)</li>`,
    )
    .join("\n");
  return htmlResponse(
    "Job board",
    `${nav()}\n<h1>Companies hiring</h1>\n<ul class="companies">\n${items}\n</ul>`,
  );
}

function listingPage(options: JobBoardOptions, company: Company, page: number): DemoResponse | undefined {
  const jobs = jobsOnPage(options, company, page);
  if (!jobs) return undefined;
  const items = jobs.map(listItem).join("\n");
  const pages = jobPageCount(company);
  const next =
    page < pages ? `<a class="next" rel="next" href="${listingHref(company, page + 1)}">next</a>` : "";
  const body =
    `${nav()}\n<h1 class="company-name">${escapeHtml(company.name)}</h1>\n` +
    `<p class="count">${company.jobCount} open positions — page ${page} of ${pages}</p>\n` +
    `<ul class="jobs">\n${items}\n</ul>\n<p class="pager">${next}</p>`;
  const fault = JOB_BOARD_FAULTS.slowListing;
  const slow = options.faults && company.index === fault.company && page === fault.page;
  return { ...htmlResponse(`${company.name} jobs — page ${page}`, body), delayMs: slow ? fault.delayMs : 0 };
}

function listItem(job: Job): string {
  return (
    `<li class="job" data-id="${job.id}"><a class="title" href="${JOB_BOARD_PREFIX}/jobs/${job.id}">` +
    `${escapeHtml(job.title)}</a> <span class="location">${escapeHtml(job.location)}</span> ` +
    `<time class="posted" datetime="${job.posted}">${job.posted}</time></li>`
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2026-01-05` → `5 Jan 2026`, as people write dates on job boards. */
function humanDate(isoDay: string): string {
  const [year, month, day] = isoDay.split("-").map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]} ${year}`;
}

function salaryText(job: Job): string {
  if (!job.salary) return "Competitive";
  return `£${thousands(job.salary.min)} – £${thousands(job.salary.max)} a year`;
}

/** `45000` → `45,000` without depending on the ICU data Node was built with. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function jobPage(job: Job): DemoResponse {
  const tags = job.tags.map((t) => `<li class="tag">${t}</li>`).join("");
  const body =
    `${nav()}\n<article class="job-detail" data-job-id="${job.id}">\n<h1 class="job-title">${escapeHtml(job.title)}</h1>\n` +
    `<p class="company"><a href="${listingHref(job.company, 1)}">${escapeHtml(job.company.name)}</a></p>\n` +
    `<p class="location">${escapeHtml(job.location)}</p>\n<p class="employment">${job.employment}</p>\n` +
    `<p class="salary">${salaryText(job)}</p>\n` +
    `<p class="posted">Posted <time datetime="${job.posted}">${humanDate(job.posted)}</time></p>\n` +
    `<ul class="tags">${tags}</ul>\n` +
    `<div class="description"><p>Join ${escapeHtml(job.company.name)} as a ${escapeHtml(job.title)}.</p></div>\n` +
    `</article>`;
  return htmlResponse(`${job.title} at ${job.company.name}`, body);
}
