/** Word lists the demo site draws its deterministic content from. */

/** Adjectives for book titles. */
export const TITLE_ADJECTIVES = [
  "Silent",
  "Crimson",
  "Hollow",
  "Quiet",
  "Forgotten",
  "Golden",
  "Distant",
  "Broken",
  "Hidden",
  "Winter",
  "Paper",
  "Salt",
  "Iron",
  "Last",
  "Wild",
  "Glass",
  "Northern",
  "Burning",
  "Gentle",
  "Endless",
] as const;

/** Nouns for book titles. */
export const TITLE_NOUNS = [
  "Harbour",
  "Orchard",
  "River",
  "Lantern",
  "Garden",
  "Atlas",
  "Meridian",
  "Tide",
  "Archive",
  "Bridge",
  "Mountain",
  "Letters",
  "Empire",
  "Compass",
  "Lighthouse",
  "Forest",
  "Clockwork",
  "Island",
  "Kingdom",
  "Song",
] as const;

/** Title shapes; `{a}` is an adjective, `{n}` and `{m}` nouns. Some carry `&` on purpose. */
export const TITLE_PATTERNS = [
  "The {a} {n}",
  "{n} of {m}",
  "Beyond the {a} {n}",
  "{n} & {m}",
  "The {n} at the End of the {m}",
  "{a} {n}",
] as const;

/** Author first names. */
export const FIRST_NAMES = [
  "Ada",
  "Bram",
  "Clara",
  "Dmitri",
  "Elena",
  "Farid",
  "Greta",
  "Hugo",
  "Ines",
  "Jonas",
  "Kaori",
  "Luis",
  "Mara",
  "Nils",
  "Olu",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Zoë",
] as const;

/** Author surnames. */
export const LAST_NAMES = [
  "Abara",
  "Brennan",
  "Castell",
  "Dubois",
  "Eriksen",
  "Fontaine",
  "Garcia",
  "Holm",
  "Ivanova",
  "Jensen",
  "Kowalski",
  "Lindqvist",
  "Moreau",
  "Nakamura",
  "O'Neill",
  "Petrov",
  "Quinn",
  "Rossi",
  "Sato",
  "Weber",
] as const;

/** Sentences for book descriptions. */
export const BLURB_SENTENCES = [
  "A story of loss, luck and the long way home.",
  "Written with rare warmth and a sharp eye for detail.",
  "Three generations, one house, and a secret nobody kept.",
  "An unflinching look at what we owe each other.",
  "Funny, strange and quietly devastating.",
  "The definitive account, drawn from archives never opened before.",
  "Short chapters, long shadows.",
  "A debut that reads like the work of a master.",
  "Maps, letters and memory, stitched into one voice.",
  "Perfect for a rainy afternoon — or a sleepless night.",
] as const;

/** Company slugs and display names of the job board. */
export const COMPANIES = [
  ["acme", "Acme Corp"],
  ["globex", "Globex"],
  ["initech", "Initech"],
  ["umbrella", "Umbrella Labs"],
  ["hooli", "Hooli"],
  ["stark-industries", "Stark Industries"],
  ["wayne-enterprises", "Wayne Enterprises"],
  ["wonka", "Wonka Confectionery"],
  ["tyrell", "Tyrell Systems"],
  ["cyberdyne", "Cyberdyne"],
] as const;

/** Seniority prefixes of job titles ("" = none). */
export const JOB_LEVELS = ["", "Junior ", "Senior ", "Staff ", "Lead "] as const;

/** Roles of job titles. */
export const JOB_ROLES = [
  "Backend Engineer",
  "Frontend Engineer",
  "Data Analyst",
  "Product Designer",
  "Site Reliability Engineer",
  "Technical Writer",
  "QA Engineer",
  "Data Engineer",
  "Engineering Manager",
  "Security Engineer",
] as const;

/** Job locations; "Remote" jobs have no city. */
export const JOB_LOCATIONS = [
  "London",
  "Berlin",
  "Lisbon",
  "Amsterdam",
  "Remote",
  "Manchester",
  "Dublin",
  "Remote",
  "Paris",
  "Edinburgh",
] as const;

/** Job tags. */
export const JOB_TAGS = [
  "typescript",
  "python",
  "go",
  "rust",
  "sql",
  "kubernetes",
  "aws",
  "react",
  "postgres",
  "graphql",
  "linux",
] as const;

/** Employment types. */
export const EMPLOYMENT_TYPES = ["Full-time", "Full-time", "Full-time", "Contract", "Part-time"] as const;
