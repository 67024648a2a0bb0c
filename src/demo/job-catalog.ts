/**
 * The job board's catalogue, computed on demand from the seed: companies, how many jobs each
 * has, and every job's details.
 */
import { intBetween, pick, pickSome, seededRandom } from "./seeded.ts";
import { COMPANIES, EMPLOYMENT_TYPES, JOB_LEVELS, JOB_LOCATIONS, JOB_ROLES, JOB_TAGS } from "./words.ts";

/** Jobs listed per company page. */
export const JOBS_PER_LIST_PAGE = 10;

/** The most jobs one company has; job ids reserve three digits for the job's index. */
const MAX_JOBS_PER_COMPANY = 30;

/** Posting dates count back from this day, so content does not depend on today's date. */
const POSTED_BASE_DAY = Date.UTC(2026, 2, 1);

/** Shapes the catalogue. */
export interface JobCatalogOptions {
  seed: number;
  companies: number;
  faults: boolean;
}

/** A company: one crawl target of the job board. */
export interface Company {
  /** 0-based. */
  index: number;
  slug: string;
  name: string;
  jobCount: number;
}

/** One job, as its detail page shows it. */
export interface Job {
  /** `(companyIndex + 1) * 1000 + jobIndex`, e.g. 1001 for the first company's first job. */
  id: number;
  company: Company;
  /** 1-based position in the company's listing. */
  index: number;
  title: string;
  location: string;
  employment: string;
  /** Yearly salary range in pounds; `null` for "Competitive" (no figures on the page). */
  salary: { min: number; max: number } | null;
  /** `YYYY-MM-DD`. */
  posted: string;
  tags: string[];
}

/** The `index`-th (0-based) company, or `undefined` past the configured count. */
export function companyAt(options: JobCatalogOptions, index: number): Company | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= options.companies) return undefined;
  const known = COMPANIES[index];
  const slug = known ? known[0] : `company-${index + 1}`;
  const name = known ? known[1] : `Company ${index + 1}`;
  const jobCount = intBetween(seededRandom(options.seed, "company", slug), 12, MAX_JOBS_PER_COMPANY);
  return { index, slug, name, jobCount };
}

/** The company with this slug, or `undefined`. */
export function companyBySlug(options: JobCatalogOptions, slug: string): Company | undefined {
  const known = COMPANIES.findIndex(([s]) => s === slug);
  if (known >= 0) return companyAt(options, known);
  const generated = /^company-([1-9]\d*)$/.exec(slug);
  const index = generated ? Number(generated[1]) - 1 : -1;
  return index >= COMPANIES.length ? companyAt(options, index) : undefined;
}

/** All companies, in order. */
export function listCompanies(options: JobCatalogOptions): Company[] {
  return Array.from({ length: options.companies }, (_, i) => companyAt(options, i) as Company);
}

/** The number of listing pages of a company (at least 1). */
export function jobPageCount(company: Company): number {
  return Math.max(1, Math.ceil(company.jobCount / JOBS_PER_LIST_PAGE));
}

/** The job with this id, or `undefined`. */
export function jobById(options: JobCatalogOptions, id: number): Job | undefined {
  const company = companyAt(options, Math.floor(id / 1000) - 1);
  const index = id % 1000;
  if (!company || index < 1 || index > company.jobCount) return undefined;
  return jobAt(options, company, index);
}

/** The `index`-th (1-based) job of a company. Does not check the index against the company's count. */
export function jobAt(options: JobCatalogOptions, company: Company, index: number): Job {
  const id = (company.index + 1) * 1000 + index;
  const random = seededRandom(options.seed, "job", id);
  const low = intBetween(random, 30, 90) * 1000;
  const competitive = random() < 0.2;
  return {
    id,
    company,
    index,
    title: `${pick(random, JOB_LEVELS)}${pick(random, JOB_ROLES)}`,
    location: pick(random, JOB_LOCATIONS),
    employment: pick(random, EMPLOYMENT_TYPES),
    salary: competitive ? null : { min: low, max: low + intBetween(random, 5, 30) * 1000 },
    posted: new Date(POSTED_BASE_DAY - intBetween(random, 0, 59) * 86_400_000).toISOString().slice(0, 10),
    tags: pickSome(random, JOB_TAGS, intBetween(random, 2, 4)),
  };
}

/** The jobs of one listing page (1-based), or `undefined` when the page does not exist. */
export function jobsOnPage(options: JobCatalogOptions, company: Company, page: number): Job[] | undefined {
  if (page < 1 || page > jobPageCount(company)) return undefined;
  const first = (page - 1) * JOBS_PER_LIST_PAGE + 1;
  const last = Math.min(page * JOBS_PER_LIST_PAGE, company.jobCount);
  const jobs: Job[] = [];
  for (let index = first; index <= last; index++) jobs.push(jobAt(options, company, index));
  return jobs;
}
