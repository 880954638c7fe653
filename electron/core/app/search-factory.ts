import type { SearchPort } from '../agent';
import type { ResolvedConfig } from '../config';
import { createSearchPipeline } from '../rag';

/** The Search pipeline for the current settings (provider, instance URL, documents folder, top K). */
export function searchPipelineFor(config: ResolvedConfig): SearchPort {
  return createSearchPipeline({
    provider: config.searchProvider,
    dataDir: config.dataDir,
    topK: config.topK,
    allowPrivateHosts: config.allowPrivateHosts,
    ...(config.searxngUrl ? { searxngUrl: config.searxngUrl } : {}),
    ...(config.docsDir ? { docsDir: config.docsDir } : {}),
    ...(config.embeddingModelDir ? { embeddingModelDir: config.embeddingModelDir } : {}),
  });
}
