import type { SearchPort } from '../agent';
import type { ResolvedConfig } from '../config';
import { filterAnswer } from '../rag/filter-answer';

/**
 * The Search pipeline for the current settings (provider, instance URL, documents folder, top K).
 * The search stack (transformers.js, onnxruntime, the page readers) takes about a second to import,
 * so it is loaded on the first Search question, not when Ponder starts.
 */
export function searchPipelineFor(config: ResolvedConfig): SearchPort {
  let pipeline: Promise<SearchPort> | undefined;
  const load = (): Promise<SearchPort> =>
    (pipeline ??= import('../rag').then(({ createSearchPipeline }) =>
      createSearchPipeline({
        provider: config.searchProvider,
        dataDir: config.dataDir,
        topK: config.topK,
        allowPrivateHosts: config.allowPrivateHosts,
        ...(config.searxngUrl ? { searxngUrl: config.searxngUrl } : {}),
        ...(config.docsDir ? { docsDir: config.docsDir } : {}),
        ...(config.embeddingModelDir ? { embeddingModelDir: config.embeddingModelDir } : {}),
        ...(config.rerankerModelDir ? { rerankerModelDir: config.rerankerModelDir } : {}),
        reranker: config.reranker,
      }),
    ));
  return {
    async *run(query, signal, options) {
      return yield* (await load()).run(query, signal, options);
    },
    // The same filter the pipeline applies, without loading the pipeline for it.
    postProcess: (answer, sources) => filterAnswer(answer, sources).text,
    async dispose() {
      const loaded = pipeline;
      pipeline = undefined;
      await (await loaded)?.dispose();
    },
  };
}
