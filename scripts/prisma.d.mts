// Types of scripts/prisma.mjs for the TypeScript that imports it (its test).
export const SQLITE_SCHEMA: string;
export const PG_SCHEMA: string;
export function prismaEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function prisma(args: string[], env?: NodeJS.ProcessEnv): number;
export function pgSchemaText(sqliteText: string): string;
export function writePgSchema(): void;
