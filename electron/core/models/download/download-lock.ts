import { open, readFile, rm } from 'node:fs/promises';
import { PonderError } from '../../errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two downloads appending to one `.part` file would corrupt it, so each file is claimed with a
 * lock file holding the owner's pid; a lock whose process is gone is taken over.
 */
export async function acquireDownloadLock(dest: string): Promise<() => Promise<void>> {
  const lockPath = `${dest}.part.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new PonderError(
          'download-failed',
          `${dest} is already being downloaded (process ${owner})`,
          {
            hint: 'Wait for that download to finish, or stop it first.',
          },
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new PonderError('download-failed', `Cannot claim ${dest} for downloading`);
}
