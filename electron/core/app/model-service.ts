import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CatalogEntry } from '../../shared';
import type { ResolvedConfig } from '../config';
import { downloadModel, findCatalogModel, loadCatalog } from '../models';
import type { PonderCore } from './ponder-core-types';

/**
 * The catalog as the model manager shows it, and downloads into the data folder. A base model
 * downloaded while none is configured becomes the model, so the welcome screen leads straight to
 * a first answer.
 */
export function createModelService(
  getConfig: () => ResolvedConfig,
  env: NodeJS.ProcessEnv,
  useModel: (path: string) => void,
): PonderCore['models'] {
  const modelsDir = () => join(getConfig().dataDir, 'models');
  return {
    async catalog() {
      const catalog = await loadCatalog();
      return catalog.models.map((model): CatalogEntry => {
        const first = model.files[0];
        const localPath = first ? join(modelsDir(), basename(first.uri)) : undefined;
        return {
          id: model.id,
          name: model.name,
          uri: first?.uri ?? '',
          sizeBytes: model.files.reduce((sum, file) => sum + (file.sizeBytes ?? 0), 0),
          ...(first?.sha256 ? { sha256: first.sha256 } : {}),
          description: model.description,
          ...(model.adaptersTrainedOn ? { adaptersTrainedOn: model.adaptersTrainedOn } : {}),
          ...(localPath && existsSync(localPath) ? { localPath } : {}),
        };
      });
    },
    async download(id, onProgress, signal) {
      const catalog = await loadCatalog();
      const role = findCatalogModel(catalog, id).role;
      const downloaded = await downloadModel(id, {
        catalog,
        dir: modelsDir(),
        env,
        ...(signal ? { signal } : {}),
        onProgress: (progress) =>
          onProgress({
            // A split model (the 7B comes in two parts) reports one bar across its parts.
            receivedBytes: progress.overallBytes,
            totalBytes: progress.overallTotal ?? null,
            bytesPerSecond: progress.rate,
          }),
      });
      if (role === 'base' && !getConfig().modelPath) useModel(downloaded.path);
      return downloaded.path;
    },
  };
}
