import { open } from 'node:fs/promises';

/** 4 MiB reads: large enough to be fast, small enough that a GB tensor never sits in memory. */
const CHUNK_BYTES = 4 << 20;

/**
 * Streams `length` bytes of a file from `start`, at most 4 MiB at a time, each chunk a whole number
 * of `unitBytes` (a tensor's element size). A read that comes up short (the file changed or was cut
 * since its header was read) throws what `shortRead` makes.
 */
export async function* readFileRange(
  path: string,
  start: number,
  length: number,
  options: { unitBytes: number; shortRead: () => Error },
): AsyncGenerator<Buffer> {
  const chunkBytes = CHUNK_BYTES - (CHUNK_BYTES % options.unitBytes);
  const file = await open(path, 'r');
  try {
    for (let done = 0; done < length;) {
      const size = Math.min(chunkBytes, length - done);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await file.read(buffer, 0, size, start + done);
      if (bytesRead !== size) throw options.shortRead();
      done += size;
      yield buffer;
    }
  } finally {
    await file.close();
  }
}
