import { z } from 'zod';
import { MODES, SEARCH_DEPTHS } from '../../shared';
import { MAX_QUESTION_CHARS } from '../../core/agent';
import { settingsPatchSchema } from '../../core/config';
import { adapterImportSchema } from '../../core/server/routes/adapter-import-route';
import { modelFilesSchema } from '../../core/server/routes/model-check-route';
import { engineTestSchema } from '../../core/server/routes/engine-test-route';

/** Ids the renderer makes (crypto.randomUUID) and the store makes; nothing else reaches a handler. */
const requestId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/);
const conversationId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);

export const askInputSchema = z
  .strictObject({
    conversationId: z.union([z.literal('new'), conversationId]).optional(),
    mode: z.enum(MODES),
    text: z.string().max(MAX_QUESTION_CHARS),
    regenerate: z.boolean().optional(),
    /** Search's depth: quick (one search) or deep (the research loop). */
    depth: z.enum(SEARCH_DEPTHS).optional(),
    /** Auto: the mode is chosen from the question. */
    auto: z.boolean().optional(),
  })
  .refine((input) => input.regenerate === true || input.text.trim() !== '', {
    path: ['text'],
    message: 'the question is empty',
  });

/**
 * The argument list each invoke channel accepts (SECURITY.md #4): tuples, so an extra argument is
 * refused too, and every string has a size cap.
 */
export const IPC_ARGUMENTS = {
  health: z.tuple([]),
  ask: z.tuple([requestId, askInputSchema]),
  listConversations: z.tuple([]),
  getConversation: z.tuple([conversationId]),
  searchConversations: z.tuple([z.string().trim().min(1).max(500)]),
  updateConversation: z.tuple([
    conversationId,
    z
      .strictObject({
        title: z.string().trim().min(1).max(200).optional(),
        pinned: z.boolean().optional(),
      })
      .refine((patch) => patch.title !== undefined || patch.pinned !== undefined, {
        message: 'give "title" or "pinned"',
      }),
  ]),
  deleteConversation: z.tuple([conversationId]),
  updateMessage: z.tuple([
    conversationId,
    z
      .strictObject({
        rating: z.union([z.literal(1), z.literal(-1), z.null()]).optional(),
        shown: z.literal(true).optional(),
      })
      .refine((patch) => patch.rating !== undefined || patch.shown !== undefined, {
        message: 'give "rating" or "shown"',
      }),
  ]),
  exportConversations: z.tuple([
    z.union([z.literal('all'), conversationId]),
    z.enum(['md', 'json']),
  ]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatchSchema.strict()]),
  listCatalog: z.tuple([]),
  checkModelFiles: z.tuple([modelFilesSchema]),
  testEngine: z.tuple([engineTestSchema]),
  engineKeyStatus: z.tuple([]),
  setEngineKey: z.tuple([z.string().min(1).max(4096).nullable()]),
  importAdapter: z.tuple([requestId, adapterImportSchema]),
  downloadModel: z.tuple([requestId, z.string().min(1).max(200)]),
  openExternal: z.tuple([z.string().max(4096)]),
  pickFile: z.tuple([z.enum(['model', 'adapter'])]),
  shortcutStatus: z.tuple([]),
  setDefaultMode: z.tuple([z.enum(MODES)]),
  hideQuickAsk: z.tuple([]),
  openInMain: z.tuple([conversationId]),
} as const;

/** Fire-and-forget channels (ipcRenderer.send). */
export const IPC_SEND_ARGUMENTS = {
  cancel: z.tuple([requestId]),
  cancelDownload: z.tuple([requestId]),
} as const;

export type IpcArguments = {
  [K in keyof typeof IPC_ARGUMENTS]: z.output<(typeof IPC_ARGUMENTS)[K]>;
};
