import { z } from 'zod';
import { APP_ERROR_CODES, MODES } from '../../shared';
import { EXPORT_FORMAT } from './export-json';

/** The shape `importJson` accepts: what `exportJson` writes, checked field by field. */
const isoTime = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value));
const nullableNumber = z.number().nullable();

const sourceSchema = z.object({
  n: z.number().int(),
  title: z.string(),
  url: z.string(),
  domain: z.string(),
  snippet: z.string(),
  score: z.number(),
  provider: z.string(),
  passages: z
    .array(z.object({ text: z.string(), section: z.string(), offset: z.number().int() }))
    .optional(),
});

const messageSchema = z.object({
  id: z.string().min(1).max(200),
  role: z.enum(['system', 'user', 'assistant']),
  mode: z.enum(MODES).nullable(),
  adapter: z.string().nullable(),
  model: z.string().nullable(),
  text: z.string(),
  reasoning: z.string(),
  solution: z.string(),
  sources: z.array(sourceSchema).nullable(),
  stats: z.object({
    promptTokens: nullableNumber,
    completionTokens: nullableNumber,
    timeToFirstTokenMs: nullableNumber,
    tokensPerSecond: nullableNumber,
    totalMs: nullableNumber,
  }),
  status: z.enum(['streaming', 'complete', 'cancelled', 'error', 'interrupted']),
  error: z
    .object({ code: z.enum(APP_ERROR_CODES), message: z.string(), hint: z.string().optional() })
    .nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  rating: z.union([z.literal(1), z.literal(-1)]).optional(),
  versionOf: z.string().min(1).max(200).optional(),
  superseded: z.boolean().optional(),
});

export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int().min(1),
  conversations: z.array(
    z.object({
      id: z.string().min(1).max(200),
      title: z.string(),
      createdAt: isoTime,
      updatedAt: isoTime,
      pinned: z.boolean(),
      messages: z.array(messageSchema),
    }),
  ),
});

export type ParsedExport = z.infer<typeof exportFileSchema>;
