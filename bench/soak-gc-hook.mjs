// Loaded into the soak's server process (node --expose-gc --import this file): SIGUSR2 runs a
// full garbage collection, so the soak reads the heap that is live, not garbage waiting for the
// next major collection (which swings the used heap by tens of MB between collections). Test
// instrumentation only; trawl itself neither reads nor needs it.
process.on("SIGUSR2", () => globalThis.gc?.());
