import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { extractPage, type ExtractedPage, type ExtractJob } from './extract-page';

export interface ExtractionPoolOptions {
  /** Worker threads (default: the cores, from 1 to 4). */
  size?: number;
  /** Longest one page may take before its worker is stopped (default 4 s). */
  pageBudgetMs?: number;
  /** Extract on the calling thread instead (for environments without worker files). */
  inline?: boolean;
}

export class PageExtractionError extends Error {}

interface Task {
  id: number;
  job: ExtractJob;
  resolve: (page: ExtractedPage) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
}

interface Slot {
  worker: Worker;
  /** Loading its modules takes a moment; a page's budget starts when it is ready. */
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

/**
 * The worker script beside this module: the TypeScript source under tsx (development and tests),
 * or the compiled `extract-worker.js` that the builds put next to their bundle.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (/\.ts$/.test(new URL(here).pathname)) {
    // Loader flags given to a worker do not apply to its entry module, so a small script
    // registers tsx inside the worker first and then imports the TypeScript entry.
    const tsxApi = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    );
    const entry = new URL('./extract-worker.ts', here).href;
    const bootstrap = `import { register } from ${JSON.stringify(tsxApi.href)}; register(); await import(${JSON.stringify(entry)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
  }
  // Bundlers put the worker entry beside the bundle; the pool's own code may sit in a chunk
  // folder below it.
  const candidates = [new URL('./extract-worker.js', here), new URL('../extract-worker.js', here)];
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  return new Worker(found ?? candidates[0] ?? here);
}

/**
 * Reads pages off the main thread: parsing a 700 KB page takes longer than a frame, so pages are
 * extracted in worker threads, each page within a time budget. A worker that overruns is stopped
 * and replaced; only that page is lost.
 */
export class ExtractionPool {
  private readonly size: number;
  private readonly pageBudgetMs: number;
  private inline: boolean;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private disposed = false;
  private readyWaiters: (() => void)[] = [];

  constructor(options: ExtractionPoolOptions = {}) {
    // One core stays with the main thread: with a worker on every core, the event loop (the
    // window, the HTTP server, ranking) waits for the scheduler while pages are parsed.
    this.size = options.size ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.pageBudgetMs = options.pageBudgetMs ?? 4000;
    this.inline = options.inline ?? false;
  }

  extract(job: ExtractJob, signal?: AbortSignal): Promise<ExtractedPage> {
    if (this.disposed) return Promise.reject(new PageExtractionError('the page reader was closed'));
    if (this.inline) {
      try {
        return Promise.resolve(extractPage(job));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return new Promise<ExtractedPage>((resolve, reject) => {
      const task: Task = { id: this.nextId++, job, resolve, reject, signal };
      signal?.addEventListener(
        'abort',
        () => {
          const queued = this.queue.indexOf(task);
          if (queued !== -1) this.queue.splice(queued, 1);
          const slot = this.slots.find((s) => s.task === task);
          if (slot) this.replace(slot);
          reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
        },
        { once: true },
      );
      this.queue.push(task);
      this.pump();
    });
  }

  private spawn(): Slot {
    const worker = startWorker();
    worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on(
      'message',
      (message: { ready?: boolean; id?: number; page?: ExtractedPage; error?: string }) => {
        if (message.ready) {
          slot.ready = true;
          for (const wake of this.readyWaiters.splice(0)) wake();
          this.pump();
          return;
        }
        const task = slot.task;
        if (!task || task.id !== message.id) return;
        this.finish(slot);
        if (message.page) task.resolve(message.page);
        else task.reject(new PageExtractionError(message.error ?? 'the page could not be read'));
        this.pump();
      },
    );
    worker.on('error', (error) => {
      const task = slot.task;
      this.remove(slot);
      if (!slot.ready) {
        // The worker could not even start (its file is missing from this build): read pages on
        // this thread rather than not at all.
        this.fallBackToInline();
        return;
      }
      task?.reject(new PageExtractionError(`the page reader failed: ${error.message}`));
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  /** Starts the workers ahead of the first page, so their start-up overlaps the search. */
  warm(): void {
    if (this.inline || this.disposed) return;
    while (this.slots.length < this.size) this.spawn();
  }

  /** Resolves once a worker can take a page (at once when extracting inline). */
  ready(): Promise<void> {
    if (this.inline || this.disposed || this.slots.some((s) => s.ready)) return Promise.resolve();
    this.warm();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      if (this.slots.length < this.size && !this.slots.some((s) => !s.task)) this.spawn();
      const idle = this.slots.find((s) => s.ready && !s.task);
      if (!idle) return;
      const task = this.queue.shift();
      if (!task) return;
      if (task.signal?.aborted) continue;
      idle.task = task;
      idle.timer = setTimeout(() => {
        this.replace(idle);
        task.reject(
          new PageExtractionError(
            `reading the page took longer than ${(this.pageBudgetMs / 1000).toFixed(1)} s`,
          ),
        );
        this.pump();
      }, this.pageBudgetMs);
      idle.timer.unref();
      idle.worker.postMessage({ id: task.id, job: task.job });
    }
  }

  private fallBackToInline(): void {
    this.inline = true;
    for (const wake of this.readyWaiters.splice(0)) wake();
    for (const task of this.queue.splice(0)) {
      this.extract(task.job, task.signal).then(task.resolve, task.reject);
    }
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
  }

  private remove(slot: Slot): void {
    this.finish(slot);
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
  }

  /** Stops a busy worker (its page is abandoned); a fresh one starts on the next page. */
  private replace(slot: Slot): void {
    this.remove(slot);
    void slot.worker.terminate();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const closed = () => new PageExtractionError('the page reader was closed');
    for (const task of this.queue.splice(0)) task.reject(closed());
    for (const slot of this.slots) slot.task?.reject(closed());
    for (const wake of this.readyWaiters.splice(0)) wake();
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }
}
