import { dirname } from 'node:path';
import { PonderError } from '../../errors';

const RESUME_HINT = 'Run the same download again; it resumes where it stopped.';

export function downloadFailed(detail: string, cause?: unknown): PonderError {
  return new PonderError('download-failed', `Download failed: ${detail}`, {
    hint: RESUME_HINT,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function httpError(url: string, status: number): PonderError {
  if (status === 404) {
    return new PonderError('download-failed', `Download failed: ${url} does not exist (HTTP 404)`, {
      hint: 'Check the repository and file name; `ponder models list` shows the catalog.',
    });
  }
  if (status === 401 || status === 403) {
    return new PonderError(
      'download-failed',
      `Download failed: access to ${url} was refused (HTTP ${status})`,
      {
        hint: 'The repository may be gated or private; download the file in a browser and pass its path.',
      },
    );
  }
  return downloadFailed(`${url} answered HTTP ${status}`);
}

/** fetch() rejects with `TypeError: fetch failed` and the real reason in `cause`. */
export function fromFetchError(url: string, error: unknown): PonderError {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  const host = new URL(url).host;
  if (
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ECONNREFUSED' ||
    code === 'ENETUNREACH'
  ) {
    return new PonderError(
      'download-failed',
      `Download failed: cannot reach ${host} (${code}); are you offline?`,
      {
        hint: RESUME_HINT,
        cause: error,
      },
    );
  }
  return downloadFailed(`cannot fetch ${url} (${code ?? (error as Error).message})`, error);
}

export function fromFileError(path: string, error: unknown): PonderError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') {
    return new PonderError(
      'download-failed',
      `Download failed: the disk holding ${dirname(path)} is full`,
      {
        hint: 'Free some space, then run the download again; it resumes where it stopped.',
        cause: error,
      },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new PonderError(
      'download-failed',
      `Download failed: cannot write to ${dirname(path)} (${code})`,
      {
        hint: 'Choose another folder with --to, or fix its permissions.',
        cause: error,
      },
    );
  }
  return downloadFailed(`cannot write ${path} (${code ?? String(error)})`, error);
}
