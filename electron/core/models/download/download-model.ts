import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultDataDir } from '../../config/data-dir';
import { PonderError, toAppError } from '../../errors';
import { findCatalogModel, loadCatalog } from '../catalog/catalog';
import type { Catalog, CatalogFile } from '../catalog/catalog';
import { readGgufSummary } from '../gguf/gguf-summary';
import type { GgufSummary } from '../gguf/gguf-summary';
import { readGgufHeader } from '../gguf/read-gguf-header';
import { acquireDownloadLock } from './download-lock';
import { downloadFile } from './download-file';
import type { DownloadProgress } from './download-file';
import { resolveModelUri } from './resolve-model-uri';

export interface ModelDownloadProgress extends DownloadProgress {
  /** 0-based index of the file among the model's parts. */
  fileIndex: number;
  fileCount: number;
  /** Bytes of every part so far (equals `bytes` for a one-file model). */
  overallBytes: number;
  /** Size of all parts, when known for each. */
  overallTotal: number | undefined;
}

export interface DownloadModelOptions {
  /** @default `<data folder>/models` */
  dir?: string;
  /** For PONDER_DATA_DIR and PONDER_HF_ENDPOINT. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default the catalog shipped with Ponder */
  catalog?: Catalog;
  signal?: AbortSignal;
  onProgress?: (progress: ModelDownloadProgress) => void;
}

export interface DownloadedModel {
  /** The catalog id, when downloaded by id. */
  id?: string;
  /** What to load: the first (or only) file. */
  path: string;
  files: string[];
  summary: GgufSummary;
}

export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), 'models');
}

function isUri(value: string): boolean {
  return value.startsWith('hf:') || /^https?:\/\//.test(value);
}

/** The file llama.cpp is handed is fully checked; further parts of a split model carry no architecture. */
async function validateModelFile(url: string, part: string, first: boolean): Promise<void> {
  try {
    if (first) await readGgufSummary(part);
    else await readGgufHeader(part);
  } catch (error) {
    const reason = toAppError(error).message.replace(`${part} `, '');
    throw new PonderError(
      'download-failed',
      `Download failed: ${url} is not a usable GGUF model (${reason})`,
      {
        hint: 'The file was removed. Check that the URI names a .gguf file.',
      },
    );
  }
}

/**
 * Downloads a catalog model (by id) or one GGUF file (`hf:OWNER/REPO/FILE` or an https URL) into
 * the models folder: resumable, sha256-checked when the catalog knows the hash, validated as a
 * GGUF before it takes its final name. Files already there are kept.
 */
export async function downloadModel(
  idOrUri: string,
  options: DownloadModelOptions = {},
): Promise<DownloadedModel> {
  const env = options.env ?? process.env;
  let id: string | undefined;
  let files: CatalogFile[];
  if (isUri(idOrUri)) {
    files = [{ uri: idOrUri }];
  } else {
    const model = findCatalogModel(options.catalog ?? (await loadCatalog()), idOrUri);
    id = model.id;
    files = model.files;
  }
  const dir = options.dir ?? defaultModelsDir(env);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new PonderError(
      'download-failed',
      `Download failed: cannot create ${dir} (${(error as NodeJS.ErrnoException).code})`,
      {
        hint: 'Choose another folder with --to.',
      },
    );
  }
  const paths: string[] = [];
  let doneBytes = 0;
  for (const [fileIndex, file] of files.entries()) {
    const { url, fileName } = resolveModelUri(file.uri, env);
    const dest = join(dir, fileName);
    paths.push(dest);
    const later = files.slice(fileIndex + 1).map((next) => next.sizeBytes);
    const laterTotal = later.includes(undefined)
      ? undefined
      : (later as number[]).reduce((a, b) => a + b, 0);
    const report = (progress: DownloadProgress): void =>
      options.onProgress?.({
        ...progress,
        fileIndex,
        fileCount: files.length,
        overallBytes: doneBytes + progress.bytes,
        overallTotal:
          progress.total === undefined || laterTotal === undefined
            ? undefined
            : doneBytes + progress.total + laterTotal,
      });
    if (existsSync(dest)) {
      // Kept when sound (it was checked when downloaded); a damaged one is fetched again.
      const sound = await validateModelFile(url, dest, fileIndex === 0).then(
        () => true,
        () => false,
      );
      if (sound) {
        const size = (await stat(dest)).size;
        report({ file: dest, bytes: size, total: size, rate: 0 });
        doneBytes += size;
        continue;
      }
      await rm(dest, { force: true });
    }
    const release = await acquireDownloadLock(dest);
    try {
      const { bytes } = await downloadFile({
        url,
        dest,
        ...(file.sizeBytes === undefined ? {} : { expectedSize: file.sizeBytes }),
        ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: report,
        validate: (part) => validateModelFile(url, part, fileIndex === 0),
      });
      doneBytes += bytes;
    } finally {
      await release();
    }
  }
  const path = paths[0] as string;
  return {
    ...(id === undefined ? {} : { id }),
    path,
    files: paths,
    summary: await readGgufSummary(path),
  };
}
