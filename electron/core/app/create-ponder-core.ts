import type { AnswerEvent, HealthInfo } from '../../shared';
import { createAgent } from '../agent';
import type { ConversationMemory, SearchPort } from '../agent';
import { resolveConfig, saveSettings } from '../config';
import type { ResolvedConfig } from '../config';
import { createEngineLazily } from '../llm/create-engine-lazily';
import { createAgentMemory, openMemoryStore } from '../memory';
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
   * A damaged conversation database: `fail` refuses it and leaves it untouched; `recover` keeps it
   * aside and starts a new one with what can still be read (see `openMemoryStore`). The CLI and
   * `ponder serve` pass `fail` unless given --recover. @default 'recover' (the desktop app, which
   * has no way yet to ask the person first; health() carries the notice)
   */
  onCorruptDatabase?: 'fail' | 'recover';
}

/** Opens the database, prepares the model and search, and joins them behind one PonderCore. */
export async function createPonderCore(options: CreatePonderCoreOptions = {}): Promise<PonderCore> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  let config = resolveConfig(flags, env);

  const store: MemoryStore | undefined =
    options.memory === false
      ? undefined
      : openMemoryStore({ path: config.dbPath, onCorrupt: options.onCorruptDatabase ?? 'recover' });
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
    async health(): Promise<HealthInfo> {
      return healthReport(engines, config, { version: PONDER_VERSION, notices });
    },
    async checkModel() {
      await engines.check();
      engines.preload();
    },
    ask(request): AsyncGenerator<AnswerEvent> {
      return agent.ask(request);
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
