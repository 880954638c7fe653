import type { AnswerEvent, HealthInfo } from '../../shared';
import { createAgent } from '../agent';
import { withPreviousRoute } from '../agent/route/previous-route';
import type { ConversationMemory, SearchPort } from '../agent';
import { resolveConfig, saveSettings } from '../config';
import type { ResolvedConfig } from '../config';
import { createEngineLazily } from '../llm/create-engine-lazily';
import { PonderError } from '../errors';
import {
  createAgentMemory,
  DamagedDatabaseError,
  damagedPathFor,
  openMemoryStore,
} from '../memory';
import type { MemoryStore } from '../memory';
import { createConversationService } from './conversation-service';
import { RemoteAwareEngineSlot } from './remote-aware-engine-slot';
import { healthReport } from './health-report';
import { createModelService } from './model-service';
import { retrieve } from './retrieve';
import { searchPipelineFor } from './search-factory';
import type { EngineFactory } from './engine-slot';
import type { PonderCore, PonderCoreOptions } from './ponder-core-types';

export const PONDER_VERSION = '0.1.0';

export interface CreatePonderCoreOptions extends PonderCoreOptions {
  /** How the model is loaded: in this process (the default) or in a model process. */
  engineFactory?: EngineFactory;
  /**
   * The remote engine's API key when settings name no variable for it: the desktop app passes the
   * key it keeps in the OS keychain (Electron safeStorage). Never logged, shown or exported.
   */
  remoteEngineKey?: () => string | undefined;
  /** Builds the Search pipeline for the current settings. @default the web/local pipeline of electron/core/rag */
  searchFactory?: (config: ResolvedConfig) => SearchPort;
  /** Start loading the model right away instead of on the first question. @default false */
  preload?: boolean;
  /**
   * A damaged conversation database (or a file that is not one): `fail` refuses it and leaves it
   * untouched; `recover` keeps it aside and starts a new one with what can still be read (see
   * `openMemoryStore`); a function asks the person first and recovers only when it resolves to
   * true (the desktop app's dialog). The CLI and `ponder serve` pass `fail` unless given --recover.
   * @default 'fail'
   */
  onCorruptDatabase?: 'fail' | 'recover' | AskToRecover;
}

/** A conversation database that cannot be opened as it is; nothing has been moved yet. */
export interface DamagedDatabase {
  /** The damaged file. */
  path: string;
  /** What SQLite said about it. */
  reason: string;
  /** Where Recover will keep it, byte for byte, beside the new database. */
  keepAt: string;
}

/** Asks the person whether to recover; true recovers, false leaves the file as it is. */
export type AskToRecover = (damaged: DamagedDatabase) => Promise<boolean>;

/**
 * Opens the conversation database, asking before recovering a damaged one when `onCorrupt` is a
 * function. Declining throws `cancelled`, with the file left exactly as it was.
 */
async function openStore(
  path: string,
  onCorrupt: CreatePonderCoreOptions['onCorruptDatabase'] = 'fail',
): Promise<MemoryStore> {
  if (typeof onCorrupt !== 'function') return openMemoryStore({ path, onCorrupt });
  try {
    return openMemoryStore({ path, onCorrupt: 'fail' });
  } catch (error) {
    if (!(error instanceof DamagedDatabaseError)) throw error;
    const keepAt = damagedPathFor(error.path);
    if (!(await onCorrupt({ path: error.path, reason: error.reason, keepAt }))) {
      throw new PonderError(
        'cancelled',
        `The conversation database ${error.path} was not recovered; it was left untouched.`,
      );
    }
    return openMemoryStore({ path, onCorrupt: 'recover', keepDamagedAt: keepAt });
  }
}

/** Opens the database, prepares the model and search, and joins them behind one PonderCore. */
export async function createPonderCore(options: CreatePonderCoreOptions = {}): Promise<PonderCore> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  let config = resolveConfig(flags, env);

  const store: MemoryStore | undefined =
    options.memory === false
      ? undefined
      : await openStore(config.dbPath, options.onCorruptDatabase);
  const memory: ConversationMemory | undefined = store ? createAgentMemory(store) : undefined;
  const engines = new RemoteAwareEngineSlot(config, options.engineFactory ?? createEngineLazily, {
    env,
    ...(options.remoteEngineKey ? { keychain: options.remoteEngineKey } : {}),
  });
  const searchFactory = options.searchFactory ?? searchPipelineFor;
  let search: SearchPort | undefined = searchFactory(config);

  const agentFor = () =>
    createAgent({
      engine: (onLoadProgress) => engines.get(onLoadProgress),
      ...(memory ? { memory } : {}),
      ...(search ? { search } : {}),
      research: config.research,
    });
  let agent = agentFor();
  if (options.preload) engines.preload();

  const notices = [store?.recovery?.notice.message, config.warning].filter(
    (notice): notice is string => Boolean(notice),
  );

  const core: PonderCore = {
    get config() {
      return config;
    },
    databaseRecovery: store?.recovery
      ? { movedTo: store.recovery.movedTo, message: store.recovery.notice.message }
      : undefined,
    async health(): Promise<HealthInfo> {
      return healthReport(engines, config, { version: PONDER_VERSION, notices });
    },
    async checkModel() {
      await engines.check();
      engines.preload();
    },
    ask(request): AsyncGenerator<AnswerEvent> {
      // Auto keeps the mode of the conversation's last answer for a follow-up.
      return agent.ask(withPreviousRoute(request, store ? core.conversations : undefined));
    },
    retrieve(question, retrievalOptions, signal) {
      return retrieve(search, question, retrievalOptions, signal);
    },
    conversations: createConversationService(store),
    settings: {
      get: () => {
        const {
          dataDir: _dataDir,
          dbPath: _dbPath,
          warning: _warning,
          embeddingModelDir: _embeddingModelDir,
          allowPrivateHosts: _allowPrivateHosts,
          ...settings
        } = config;
        return settings;
      },
      update(patch) {
        saveSettings(config.dataDir, patch);
        const next = resolveConfig(flags, env);
        void engines.reconfigure(next);
        config = next;
        const previous = search;
        search = searchFactory(config);
        void previous?.dispose();
        agent = agentFor();
        return core.settings.get();
      },
    },
    models: createModelService(
      () => config,
      env,
      (modelPath) => core.settings.update({ modelPath }),
    ),
    async dispose() {
      await search?.dispose();
      await engines.unload();
      await store?.dispose();
    },
  };
  return core;
}
