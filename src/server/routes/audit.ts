import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  AuditPageSchema,
  AuditVerificationSchema,
  type AuditPage,
  type AuditVerification,
} from "../../core/contract/audit.ts";
import { auditEntryView, checkAuditAction, securityError } from "../../security/index.ts";

interface AuditQuery {
  since?: string;
  action?: string;
  before?: number;
  limit?: number;
}

/** `since` as Unix ms: an ISO 8601 date or instant; a usage error (400) otherwise. */
function sinceOf(text: string): number {
  const instant = Date.parse(text);
  if (Number.isNaN(instant))
    throw securityError("TRAWL_ERR_SECURITY_AUDIT_FILTER", {
      problem: `since "${text}" is not a date or an ISO 8601 instant`,
    });
  return instant;
}

/**
 * `GET /api/audit`: the audit log, a page of the newest entries (oldest first on the page), by
 * time and action; `POST /api/audit/verify`: checks the hash chain and the head file (and catches
 * up a head file that lags, hence POST).
 */
export function auditRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/audit",
    {
      schema: {
        summary:
          "The audit log: the newest entries matching the filters; page with `before` (the `next` of the previous page)",
        tags: ["audit"],
        querystring: Type.Object({
          since: Type.Optional(
            Type.String({ description: "only entries at or after this date or instant (ISO 8601)" }),
          ),
          action: Type.Optional(Type.String({ description: "only entries of this action (run.started…)" })),
          before: Type.Optional(Type.Integer({ minimum: 1, description: "`next` of the previous page" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: AuditPageSchema },
      },
    },
    async (request): Promise<AuditPage> => {
      const q = request.query as AuditQuery;
      const filter = {
        ...(q.since !== undefined && { since: sinceOf(q.since) }),
        ...(q.action !== undefined && { action: checkAuditAction(q.action) }),
      };
      const limit = q.limit ?? 100;
      const entries = await app.audit.list({
        ...filter,
        ...(q.before !== undefined && { beforeSeq: q.before }),
        limit: limit + 1,
      });
      // One more than asked for tells whether an older page exists; it is not shown.
      const page = entries.length > limit ? entries.slice(1) : entries;
      return {
        entries: page.map(auditEntryView),
        total: await app.audit.count(filter),
        next: entries.length > limit ? page[0]!.seq : null,
      };
    },
  );

  server.post(
    "/audit/verify",
    {
      schema: {
        summary: "Check the audit log's hash chain and head file; names the first broken entry",
        tags: ["audit"],
        response: { 200: AuditVerificationSchema },
      },
    },
    async (): Promise<AuditVerification> => app.audit.verify(),
  );
}
