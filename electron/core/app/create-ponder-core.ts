import type { AnswerEvent, HealthInfo } from '../../shared';
import { MODE_ADAPTER, MODES } from '../../shared';
import { createAgent } from '../agent';
import type { ConversationMemory, SearchPort } from '../agent';
import { resolveConfig, saveSettings } from '../config';
import type { ResolvedConfig } from '../config';
import { createEngineLazily } from '../llm/create-engine-lazily';
import { createAgentMemory, openMemoryStore } from '../memory';
import type { MemoryStore } from '../memory';
import { createConversationService } from './conversation-service';
import { EngineSlot } from './engine-slot';
import { createModelService } from './model-service';
import { searchPipelineFor } from './search-factory';
import type { EngineFactory } from './engine-slot';
import type { PonderCore, PonderCoreOptions } from './ponder-core-types';

export const PONDER_VERSION = '0.1.0';

export interface CreatePonderCoreOptions extends PonderCoreOptions {
  /** How the model is loaded: in this process (the default) or in a model process. */
  engineFactory?: EngineFactory;
  /** Builds the Search pipeline for the current settings. @default the web/local pipeline of electron/core/rag */
  searchFactory?: (config: ResolvedConfig) => SearchPort;
  /** Start loading the model right away instead of on the first question. @default false */
  preload?: boolean;
}

/** Opens the database, prepares the model and search, and joins them behind one PonderCore. */
export async function createPonderCore(options: CreatePonderCoreOptions = {}): Promise<PonderCore> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  let config = resolveConfig(flags, env);

  const store: MemoryStore | undefined =
    options.memory === false ? undefined : openMemoryStore({ path: config.dbPath });
  const memory: ConversationMemory | undefined = store ? createAgentMemory(store) : undefined;
  const engines = new EngineSlot(config, options.engineFactory ?? createEngineLazily);
  const searchFactory = options.searchFactory ?? searchPipelineFor;
  let search: SearchPort | undefined = searchFactory(config);

  const agentFor = () =>
    createAgent({
      engine: () => engines.get(),
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
      const state = engines.state();
      const modes = MODES.map((mode) => ({
        mode,
        adapter: state.engine?.info().adapters[MODE_ADAPTER[mode]] ? MODE_ADAPTER[mode] : 'base',
      }));
      const base = { version: PONDER_VERSION, modes, ...(notices.length ? { notices } : {}) };
      if (!state.configured) return { ...base, status: 'no-model' };
      if (state.error) return { ...base, status: 'error', error: state.error };
      if (!state.engine) return { ...base, status: state.loading ? 'loading' : 'ok' };
      const info = state.engine.info();
      return {
        ...base,
        status: 'ok',
        model: {
          path: info.modelPath,
          architecture: info.architecture,
          gpu: info.gpu,
          threads: info.threads,
          contextSize: info.contextSize,
        },
      };
    },
    ask(request): AsyncGenerator<AnswerEvent> {
      return agent.ask(request);
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
