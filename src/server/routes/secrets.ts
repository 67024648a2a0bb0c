import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  SecretDeletedSchema,
  SecretListSchema,
  SecretSetSchema,
  SecretValueSchema,
  type SecretDeleted,
  type SecretList,
  type SecretSet,
  type SecretValue,
} from "../../core/contract/secrets.ts";

const NameParams = Type.Object({ name: Type.String() });

/**
 * The secrets vault: listed (names and dates), set and deleted. Values are write-only: no route
 * returns one, and an error never quotes the body.
 */
export function secretRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/secrets",
    {
      schema: {
        summary: "The secrets of the vault: names and dates, never values",
        tags: ["secrets"],
        response: { 200: SecretListSchema },
      },
    },
    async (): Promise<SecretList> => ({
      secrets: (await app.secrets.list()).map((secret) => ({
        name: secret.name,
        createdAt: new Date(secret.createdAt).toISOString(),
        updatedAt: new Date(secret.updatedAt).toISOString(),
      })),
    }),
  );

  server.put(
    "/secrets/:name",
    {
      schema: {
        summary: "Create or change a secret (its value is write-only)",
        tags: ["secrets"],
        params: NameParams,
        body: SecretValueSchema,
        response: { 200: SecretSetSchema },
      },
    },
    async (request): Promise<SecretSet> => {
      const { name } = request.params as { name: string };
      const { value } = request.body as SecretValue;
      return { name, created: await app.secrets.set(name, value) };
    },
  );

  server.delete(
    "/secrets/:name",
    {
      schema: {
        summary: "Delete a secret: scrapers that read it no longer run",
        tags: ["secrets"],
        params: NameParams,
        response: { 200: SecretDeletedSchema },
      },
    },
    async (request): Promise<SecretDeleted> => {
      const { name } = request.params as { name: string };
      await app.secrets.remove(name);
      return { name, deleted: true };
    },
  );
}
