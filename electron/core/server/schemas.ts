import { z } from 'zod';
import { MODES, ROUTE_CHOICES, SEARCH_DEPTHS } from '../../shared';
import { MAX_QUESTION_CHARS } from '../agent';

/** Conversation and message ids as the store makes them; anything else is refused before it reaches SQL. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');

const conversationIdSchema = z.union([z.literal('new'), idSchema]);

export const questionSchema = z.string().max(MAX_QUESTION_CHARS);

/** Most stop texts one request may give, and the longest each may be. */
export const MAX_STOP_TEXTS = 16;
const stopText = z.string().min(1, 'a stop text cannot be empty').max(1_000);

/** OpenAI's `stop`: one text or a list; the answer ends where the model writes any of them. */
export const stopSchema = z
  .union([stopText, z.array(stopText).max(MAX_STOP_TEXTS)])
  .transform((stop) => (typeof stop === 'string' ? [stop] : stop));

/** Deep Search's budgets for one request; each falls back to its default (and is kept in range). */
export const researchBudgetsSchema = z
  .strictObject({
    rounds: z.number().int().min(1).max(10),
    subQuestionsPerRound: z.number().int().min(1).max(8),
    pages: z.number().int().min(1).max(50),
    tokens: z.number().int().min(64).max(1_000_000),
    wallMs: z.number().int().min(1_000).max(3_600_000),
  })
  .partial();

/** Auto: how the conversation's previous answer was given, so a follow-up keeps that mode. */
const previousRouteSchema = z.enum(ROUTE_CHOICES);

/** `POST /api/ask` — AskInput. */
export const askBodySchema = z
  .strictObject({
    conversationId: conversationIdSchema.optional(),
    mode: z.enum(MODES),
    text: questionSchema,
    regenerate: z.boolean().optional(),
    stop: stopSchema.optional(),
    /** Search's depth: quick (one search) or deep (the research loop). */
    depth: z.enum(SEARCH_DEPTHS).optional(),
    /** Auto: the mode is chosen from the question; `mode` is only the fallback. */
    auto: z.boolean().optional(),
    research: researchBudgetsSchema.optional(),
    previousRoute: previousRouteSchema.optional(),
    /** Search at the quick depth lets the model run the searches it writes (over the setting). */
    selfSearch: z.boolean().optional(),
  })
  .refine((input) => input.regenerate === true || input.text.trim() !== '', {
    path: ['text'],
    message: 'the question is empty',
  });

/** `POST /generate` — the original service's body; unknown fields are ignored as it did. */
export const generateBodySchema = z.object({
  query: questionSchema.refine((text) => text.trim() !== '', 'the question is empty'),
  /** `auto` chooses the mode from the question. */
  mode: z.enum([...MODES, 'auto']).optional(),
  depth: z.enum(SEARCH_DEPTHS).optional(),
  research: researchBudgetsSchema.optional(),
  previous_route: previousRouteSchema.optional(),
  self_search: z.boolean().optional(),
  conversation_id: conversationIdSchema.optional(),
  stop: stopSchema.optional(),
});

export const conversationPatchSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    pinned: z.boolean().optional(),
  })
  .refine((patch) => patch.title !== undefined || patch.pinned !== undefined, {
    message: 'give "title" or "pinned"',
  });

export const searchQuerySchema = z.string().trim().min(1).max(500);

export const exportFormatSchema = z.enum(['md', 'json']);

export const downloadBodySchema = z.strictObject({ id: z.string().min(1).max(200) });

/** The model ids under which the three modes appear on the OpenAI-compatible routes. */
export const OPENAI_MODELS = {
  'ponder-chat': 'chat',
  'ponder-reasoning': 'reasoning',
  'ponder-search': 'search',
  /** Search at the deep depth: plan, search, analyse, repeat; the timeline is the reasoning. */
  'ponder-research': 'search',
  /** Auto: the mode is chosen from the question (chat is only the fallback). */
  'ponder-auto': 'chat',
} as const;

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(contentPartSchema).max(100), z.null()]).optional(),
});

export type OpenAiModelId = keyof typeof OPENAI_MODELS;

export function isOpenAiModel(id: string): id is OpenAiModelId {
  return Object.hasOwn(OPENAI_MODELS, id);
}

/**
 * `POST /v1/chat/completions`; other OpenAI fields (top_p, user, …) are accepted and ignored. The
 * model is any string here: one Ponder does not have is a 404 `model_not_found`, as OpenAI answers.
 */
export const chatCompletionBodySchema = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z.array(chatMessageSchema).min(1).max(1000),
  stream: z.boolean().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  max_tokens: z.number().int().min(1).max(131_072).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).max(131_072).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  n: z.literal(1).nullable().optional(),
  stop: stopSchema.nullable().optional(),
  /** Ponder's own: the client's system messages replace the mode's system prompt instead of adding to it. */
  replace_system_prompt: z.boolean().nullable().optional(),
});

export type ChatCompletionBody = z.output<typeof chatCompletionBodySchema>;
