import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ProviderSearchOptions, SearchProvider, SearchResult } from '../search-types';
import { LocalDocsIndex } from './local-docs-index';

/** Searches a folder of the person's files, offline; the index follows changes on each search. */
export class LocalDocsProvider implements SearchProvider {
  readonly name = 'local';
  readonly index: LocalDocsIndex;

  constructor(docsDir: string, dataDir: string) {
    const key = createHash('sha256').update(resolve(docsDir)).digest('hex').slice(0, 16);
    this.index = new LocalDocsIndex(docsDir, join(dataDir, 'rag', `docs-${key}.sqlite`));
  }

  async search(query: string, { count, signal }: ProviderSearchOptions): Promise<SearchResult[]> {
    signal?.throwIfAborted();
    this.index.reindex();
    return this.index.search(query, count).map((hit, i) => ({
      title: hit.title,
      url: LocalDocsIndex.urlOf(hit),
      snippet: hit.text.length > 300 ? `${hit.text.slice(0, 297)}...` : hit.text,
      rank: i + 1,
      provider: this.name,
      content: hit.text,
      contentPlace: { section: hit.section, offset: hit.offset },
    }));
  }

  dispose(): void {
    this.index.close();
  }
}
