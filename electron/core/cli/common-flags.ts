import type { SearchProvider } from '../../shared';
import type { ConfigFlags } from '../config';
import { UsageError } from './usage-error';

/**
 * The model, adapter, thread, context and search options every command that loads the model takes
 * (`ponder ask`, `ponder serve`), as node:util parseArgs options. Spread them into a command's own.
 */
export const CORE_FLAG_OPTIONS = {
  model: { type: 'string' },
  sft: { type: 'string' },
  grpo: { type: 'string' },
  threads: { type: 'string' },
  'context-size': { type: 'string' },
  'gpu-layers': { type: 'string' },
  'search-provider': { type: 'string' },
  'searxng-url': { type: 'string' },
  docs: { type: 'string' },
  'top-k': { type: 'string' },
  'embedding-model': { type: 'string' },
  'reranker-model': { type: 'string' },
  'allow-private-host': { type: 'string', multiple: true },
  db: { type: 'string' },
  recover: { type: 'boolean' },
  'data-dir': { type: 'string' },
  engine: { type: 'string' },
  'engine-url': { type: 'string' },
  'engine-key-env': { type: 'string' },
  'mode-model': { type: 'string', multiple: true },
  'mode-lora': { type: 'string', multiple: true },
  'engine-allow-http': { type: 'boolean' },
  'engine-timeout': { type: 'string' },
  'self-search': { type: 'string' },
  'self-search-tags': { type: 'string' },
} as const;

export const CORE_FLAGS_USAGE = [
  '  --model FILE             base GGUF model (else PONDER_MODEL, else settings)',
  '  --sft FILE               LoRA adapter for Fast Chat (GGUF)',
  '  --grpo FILE              LoRA adapter for Deep Reasoning and Search (GGUF)',
  '  --threads N              CPU threads for generation (default: chosen for this machine)',
  '  --context-size N         tokens of context (default 4096)',
  '  --gpu-layers N|auto      layers offloaded to the GPU (default auto)',
  '  --search-provider NAME   duckduckgo, searxng or local',
  '  --searxng-url URL        the SearXNG instance for --search-provider searxng',
  '  --docs DIR               folder of documents to search (implies --search-provider local)',
  '  --top-k N                sources given to the model in Search (1-20)',
  '  --embedding-model DIR    local all-MiniLM-L6-v2 folder (transformers.js format) for Search ranking',
  '  --reranker-model DIR     local ms-marco-MiniLM-L-6-v2 cross-encoder folder: Search re-reads its best passages',
  '  --allow-private-host H   let Search read pages from this private/loopback host (repeatable)',
  '  --db FILE                conversation database (default: in the data folder)',
  '  --recover                if that database is damaged, keep it aside and start a new one with',
  '                           every conversation SQLite can still read (else Ponder refuses it)',
  '  --data-dir DIR           settings, database and models folder (else PONDER_DATA_DIR)',
  '  --engine local|remote    load the model here (default) or use the server at --engine-url',
  '  --engine-url URL         OpenAI-compatible server (vLLM, llama-server); implies --engine remote',
  "  --engine-key-env VAR     environment variable holding the server's API key",
  "  --mode-model MODE=NAME   model name a mode asks for (vLLM: the adapter's --lora-modules name)",
  '  --mode-lora MODE=ID[:S]  llama-server adapter id (and scale) a mode applies; ids from /lora-adapters',
  '  --engine-allow-http      allow plain http to a public host (loopback and private hosts always may)',
  '  --engine-timeout SEC     give up on a server silent this long (default 60)',
  '  --self-search on|off     Search lets a model that writes <search>query</search> run its own',
  '                           searches (default: the setting research.selfSearch, off)',
  '  --self-search-tags O,C[,IO,IC]  the tags such a model writes (and reads the results in)',
].join('\n');

type CoreFlagValues = {
  [K in keyof typeof CORE_FLAG_OPTIONS]?: string | boolean | string[] | undefined;
};

function integer(name: string, value: string | boolean | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`--${name} must be a whole number, not "${value}".`);
  }
  return Number(value);
}

function text(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const SEARCH_PROVIDERS: readonly SearchProvider[] = ['duckduckgo', 'searxng', 'local'];

/** parseArgs values → ConfigFlags for `resolveConfig`; ranges are checked there. */
export function coreFlagsFrom(values: CoreFlagValues): ConfigFlags {
  const flags: ConfigFlags = {};
  const set = <K extends keyof ConfigFlags>(key: K, value: ConfigFlags[K] | undefined): void => {
    if (value !== undefined) flags[key] = value;
  };
  set('model', text(values.model));
  set('sft', text(values.sft));
  set('grpo', text(values.grpo));
  set('threads', integer('threads', values.threads));
  set('contextSize', integer('context-size', values['context-size']));
  const gpuLayers = text(values['gpu-layers']);
  set('gpuLayers', gpuLayers === 'auto' ? 'auto' : integer('gpu-layers', gpuLayers));
  const provider = text(values['search-provider']);
  if (provider !== undefined && !(SEARCH_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(
      `--search-provider must be one of ${SEARCH_PROVIDERS.join(', ')}, not "${provider}".`,
    );
  }
  set('searchProvider', provider as SearchProvider | undefined);
  set('searxngUrl', text(values['searxng-url']));
  set('docs', text(values.docs));
  set('topK', integer('top-k', values['top-k']));
  set('embeddingModel', text(values['embedding-model']));
  set('rerankerModel', text(values['reranker-model']));
  const privateHosts = values['allow-private-host'];
  if (Array.isArray(privateHosts) && privateHosts.length > 0)
    set('allowPrivateHosts', privateHosts);
  set('db', text(values.db));
  set('dataDir', text(values['data-dir']));
  const engine = text(values.engine);
  if (engine !== undefined && engine !== 'local' && engine !== 'remote') {
    throw new UsageError(`--engine must be local or remote, not "${engine}".`);
  }
  set('engine', engine);
  set('engineUrl', text(values['engine-url']));
  set('engineKeyEnv', text(values['engine-key-env']));
  const list = (value: string | boolean | string[] | undefined): string[] | undefined =>
    Array.isArray(value) && value.length > 0 ? value : undefined;
  set('modeModels', list(values['mode-model']));
  set('modeLoras', list(values['mode-lora']));
  if (values['engine-allow-http'] === true) set('engineAllowHttp', true);
  set('engineTimeoutSeconds', integer('engine-timeout', values['engine-timeout']));
  const selfSearch = text(values['self-search']);
  if (selfSearch !== undefined && selfSearch !== 'on' && selfSearch !== 'off') {
    throw new UsageError(`--self-search must be on or off, not "${selfSearch}".`);
  }
  if (selfSearch !== undefined) set('selfSearch', selfSearch === 'on');
  set('selfSearchTags', text(values['self-search-tags']));
  return flags;
}
