/**
 * OpenTelemetry traces of runs (issue 16, item 9), off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: a span per run session, per step within it, and
 * per fetch attempt within the step, exported over OTLP/HTTP. Built from the engine's events (the
 * same ones the metrics count), after the fact and with their own times, so the crawl's hot path
 * does not change and costs nothing when tracing is off: nothing subscribes then.
 *
 * Attributes never carry a secret: URLs are the queue's (a `{{ secret.NAME }}` stays a
 * reference), and no header, cookie or body is recorded.
 */
import type * as OtelApiModule from "@opentelemetry/api";
import type { Span, Tracer } from "@opentelemetry/api";
import { TRAWL_VERSION, type EventBus, type TrawlEvent } from "../core/index.ts";

/** OpenTelemetry's API, loaded with the SDK when tracing starts. */
type OtelApi = typeof OtelApiModule;

/** Tracing of one process: stop it to flush what is left (at most a few seconds). */
export interface RunTracing {
  close(): Promise<void>;
}

/** The spans open for one run in this process. */
interface OpenRun {
  run: Span;
  step?: Span;
}

/**
 * Starts exporting spans of the runs `bus` reports, as `service.name` `trawl` with the process's
 * `role` (`cli`, `server`, `scheduler`). The exporter reads the standard `OTEL_EXPORTER_OTLP_*`
 * variables (endpoint, headers, timeout). OpenTelemetry is loaded here, not when trawl starts:
 * its packages cost every command a noticeable share of its start-up, and most never trace.
 */
export async function startRunTracing(bus: EventBus, role: string): Promise<RunTracing> {
  const [
    api,
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BasicTracerProvider, BatchSpanProcessor },
  ] = await Promise.all([
    import("@opentelemetry/api").then(namedExports),
    import("@opentelemetry/exporter-trace-otlp-http").then(namedExports),
    import("@opentelemetry/resources").then(namedExports),
    import("@opentelemetry/sdk-trace-base").then(namedExports),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": "trawl",
      "service.version": TRAWL_VERSION,
      "trawl.process": role,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  const spans = new RunSpans(api, provider.getTracer("trawl", TRAWL_VERSION));
  const unsubscribe = bus.subscribe((event) => spans.on(event));
  return {
    async close() {
      unsubscribe();
      spans.endAll();
      await provider.shutdown();
    },
  };
}

/**
 * A CommonJS package's exports as a dynamic `import()` gives them: under the bundler (the CLI's
 * bundle) they may sit on `default` only; from the sources, on the namespace itself.
 */
function namedExports<T extends object>(module: T): T {
  const inner = (module as { default?: unknown }).default;
  return inner !== null && typeof inner === "object" ? { ...(inner as T), ...module } : module;
}

/** Turns a run's events into its spans. */
class RunSpans {
  private readonly open = new Map<string, OpenRun>();

  constructor(
    private readonly api: OtelApi,
    private readonly tracer: Tracer,
  ) {}

  /** The context whose active span is `span`: a child's parent. */
  private under(span: Span) {
    return this.api.trace.setSpan(this.api.context.active(), span);
  }

  on(event: TrawlEvent): void {
    switch (event.type) {
      case "run.started": {
        const run = this.tracer.startSpan("run", {
          attributes: { "trawl.run.id": event.runId, "trawl.run.resumed": event.resumed },
        });
        this.open.set(event.runId, { run });
        return;
      }
      case "step.started": {
        const open = this.open.get(event.runId);
        if (!open) return;
        open.step?.end();
        open.step = this.tracer.startSpan(
          `step ${event.step}`,
          { attributes: { "trawl.step.name": event.step, "trawl.step.index": event.index } },
          this.under(open.run),
        );
        return;
      }
      case "step.finished": {
        const open = this.open.get(event.runId);
        open?.step?.setAttribute("trawl.step.records", event.records);
        open?.step?.end();
        if (open) delete open.step;
        return;
      }
      case "request.attempted":
        return this.attempt(event);
      case "run.paused":
      case "run.finished":
        return this.end(event.runId, event.type === "run.finished" ? event.status : `paused:${event.reason}`);
      default:
        return;
    }
  }

  /** A fetch attempt: a span under the run's step, timed by its latency. */
  private attempt(event: Extract<TrawlEvent, { type: "request.attempted" }>): void {
    const open = this.open.get(event.runId);
    if (!open) return;
    // Told as it ends: now is its end.
    const end = Date.now();
    const span = this.tracer.startSpan(
      "fetch",
      {
        startTime: end - event.latencyMs,
        attributes: {
          "server.address": event.host,
          "trawl.retry": event.retry,
          "http.response.body.size": event.bytes,
          ...(event.status !== undefined && { "http.response.status_code": event.status }),
          ...(event.reason !== undefined && { "error.type": event.reason }),
        },
      },
      this.under(open.step ?? open.run),
    );
    if (event.reason !== undefined) span.setStatus({ code: 2, message: event.reason });
    span.end(end);
  }

  private end(runId: string, outcome: string): void {
    const open = this.open.get(runId);
    if (!open) return;
    open.step?.end();
    open.run.setAttribute("trawl.run.outcome", outcome);
    open.run.end();
    this.open.delete(runId);
  }

  /** Ends what is still open (the process is closing). */
  endAll(): void {
    for (const runId of [...this.open.keys()]) this.end(runId, "open at exit");
  }
}
