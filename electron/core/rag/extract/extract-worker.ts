import { parentPort } from 'node:worker_threads';
import { extractPage, type ExtractJob } from './extract-page';

/** A worker thread of the extraction pool: pages arrive as jobs, passages go back. */
parentPort?.postMessage({ ready: true });
parentPort?.on('message', (message: { id: number; job: ExtractJob }) => {
  try {
    parentPort?.postMessage({ id: message.id, page: extractPage(message.job) });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
