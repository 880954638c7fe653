import { threadId } from 'node:worker_threads';
import { chunkPage, type ChunkPageOptions, type PagePassage } from '../chunk/chunk-page';
import { structuredDocument } from './structured-page';

export interface ExtractJob extends ChunkPageOptions {
  body: string;
  contentType: string;
}

export interface ExtractedPage {
  title: string;
  /** The thread that read the page (a worker's, unless extraction ran inline). */
  threadId: number;
  /** Characters of extracted text. */
  textLength: number;
  passages: PagePassage[];
}

/** Bytes that never occur in a text page: NUL and most C0 controls. */
function controlCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 8 || (code >= 14 && code <= 26)) count++;
  }
  return count;
}

/** One page from its body to its passages: the work a worker thread does. */
export function extractPage(job: ExtractJob): ExtractedPage {
  const sample = job.body.slice(0, 4096);
  if (controlCount(sample) > sample.length * 0.01) {
    throw new Error('the page is binary, not text');
  }
  const page = structuredDocument(job.body, job.contentType);
  return {
    title: page.title,
    threadId,
    textLength: page.text.length,
    passages: chunkPage(page, job),
  };
}
