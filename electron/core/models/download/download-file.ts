import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { PonderError } from '../../errors';
import { downloadFailed, fromFetchError, fromFileError, httpError } from './download-errors';

export interface DownloadProgress {
  /** The file being written (its final name). */
  file: string;
  bytes: number;
  /** From the server, else the catalog; undefined when neither says. */
  total: number | undefined;
  /** Bytes per second since this attempt started. */
  rate: number;
}

export interface DownloadFileOptions {
  url: string;
  /** Final path; data goes to `${dest}.part` first and is renamed when complete and valid. */
  dest: string;
  expectedSize?: number;
  sha256?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** A connection that sends nothing for this long is dropped (the partial file stays). @default 60000 */
  idleTimeoutMs?: number;
  /** Runs on the complete `.part` file before the rename; throw to refuse it (the file is removed). */
  validate?: (partPath: string) => Promise<void>;
}

const PROGRESS_INTERVAL_MS = 100;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

function cancelled(): PonderError {
  return new PonderError('cancelled', 'Download cancelled.', {
    hint: 'Run the same download again to resume where it stopped.',
  });
}

/**
 * Streams `url` into `${dest}.part`, resuming with an HTTP Range request when a partial file is
 * there (a server that ignores the range restarts it from zero). When complete it checks the size,
 * the sha256 when known (a mismatch removes the file), runs `validate`, then renames to `dest`.
 * Cancelling keeps the partial file for the next attempt.
 */
export async function downloadFile(
  options: DownloadFileOptions,
): Promise<{ path: string; bytes: number; sha256: string }> {
  const { url, dest, signal } = options;
  const part = `${dest}.part`;
  if (signal?.aborted) throw cancelled();
  let start = await sizeOf(part);
  // A stalled server must not hang the download: no bytes for idleTimeoutMs aborts it.
  const idle = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let idleTimer = setTimeout(() => idle.abort(), idleMs);
  const stillAlive = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(), idleMs);
  };
  const stalled = (): PonderError => {
    const wait = idleMs >= 1000 ? `${Math.round(idleMs / 1000)} s` : `${idleMs} ms`;
    return downloadFailed(`${new URL(url).host} sent nothing for ${wait}`);
  };
  try {
    return await transfer();
  } finally {
    clearTimeout(idleTimer);
  }

  async function transfer(): Promise<{ path: string; bytes: number; sha256: string }> {
    // Hash what is already there first, so a slow disk never counts as a silent server.
    const resumedHash = createHash('sha256');
    if (start > 0 && options.sha256) await hashExisting(part, resumedHash);
    stillAlive();
    let response: Response;
    try {
      response = await fetch(url, {
        headers: start > 0 ? { Range: `bytes=${start}-` } : {},
        redirect: 'follow',
        signal: signal ? AbortSignal.any([signal, idle.signal]) : idle.signal,
      });
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      if (idle.signal.aborted) throw stalled();
      throw fromFetchError(url, error);
    }
    stillAlive();

    const final = new URL(response.url || url);
    const local = final.hostname === '127.0.0.1' || final.hostname === 'localhost';
    if (final.protocol !== 'https:' && !local) {
      await response.body?.cancel();
      throw downloadFailed(
        `${url} redirected to insecure ${final.origin}; refusing to download over plain HTTP`,
      );
    }
    let total: number | undefined;
    if (response.status === 416 && start > 0) {
      // The partial file already holds every byte (the last attempt stopped after writing them).
      const complete = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
      if (!complete || Number(complete[1]) !== start) {
        await rm(part, { force: true });
        throw downloadFailed(`the server refused to resume ${url}; the partial file was removed`);
      }
      total = start;
      await response.body?.cancel();
    } else if (response.status === 206 && start > 0) {
      const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== start) {
        await response.body?.cancel();
        throw downloadFailed(`the server answered the resume of ${url} with the wrong range`);
      }
      total = range[2] === '*' ? options.expectedSize : Number(range[2]);
    } else if (response.ok) {
      start = 0; // a 200 to a Range request means the server sends everything again
      const length = Number(response.headers.get('content-length') ?? NaN);
      total = Number.isFinite(length) ? length : options.expectedSize;
    } else {
      await response.body?.cancel();
      throw httpError(url, response.status);
    }

    const hash = start > 0 ? resumedHash : createHash('sha256');
    let bytes = start;
    if (response.status !== 416) {
      let file: FileHandle;
      try {
        file = await open(part, start > 0 ? 'a' : 'w');
      } catch (error) {
        await response.body?.cancel();
        throw fromFileError(part, error);
      }
      const began = Date.now();
      let lastReport = 0;
      const report = (force: boolean): void => {
        const now = Date.now();
        if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        const seconds = Math.max((now - began) / 1000, 0.001);
        options.onProgress?.({ file: dest, bytes, total, rate: (bytes - start) / seconds });
      };
      try {
        const body = response.body?.getReader();
        for (let read = await body?.read(); read && !read.done; read = await body?.read()) {
          stillAlive();
          const data = read.value;
          await writeAll(file, data, part);
          if (options.sha256) hash.update(data);
          bytes += data.byteLength;
          report(false);
        }
        report(true);
      } catch (error) {
        if (signal?.aborted) throw cancelled();
        if (idle.signal.aborted) throw stalled();
        if (error instanceof PonderError) throw error;
        throw downloadFailed(`the connection broke after ${bytes} bytes of ${url}`, error);
      } finally {
        await file.close();
      }
    }

    if (total !== undefined && bytes !== total) {
      throw downloadFailed(`${url} ended after ${bytes} of ${total} bytes`);
    }
    const digest = options.sha256 ? hash.digest('hex') : '';
    if (options.sha256 && digest !== options.sha256.toLowerCase()) {
      await rm(part, { force: true });
      throw new PonderError(
        'checksum-mismatch',
        `${dest} does not match its published sha256 (got ${digest}, expected ${options.sha256})`,
        {
          hint: 'The damaged file was removed; download it again.',
        },
      );
    }
    if (options.validate) {
      try {
        await options.validate(part);
      } catch (error) {
        await rm(part, { force: true });
        throw error;
      }
    }
    await rename(part, dest);
    return { path: dest, bytes, sha256: digest };
  }
}

async function writeAll(file: FileHandle, data: Uint8Array, path: string): Promise<void> {
  let offset = 0;
  try {
    while (offset < data.byteLength) {
      const { bytesWritten } = await file.write(data, offset, data.byteLength - offset);
      offset += bytesWritten;
    }
  } catch (error) {
    throw fromFileError(path, error);
  }
}
