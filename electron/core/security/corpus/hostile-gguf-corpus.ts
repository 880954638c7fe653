import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppErrorCode } from '../../../shared';
import { RawGguf } from './raw-gguf';

export interface HostileFile {
  name: string;
  path: string;
  /** The error a person must see for it. */
  code: AppErrorCode;
}

const F32 = 0;
const U64_MAX = (1n << 64n) - 1n;
/** A key that would rewrite a terminal if printed raw: clear screen, newline, a fake prompt. */
export const TERMINAL_ESCAPE_KEY = '\u001b[2J\u001b[H\nponder> rm -rf ~\r';

/** A header that is honest up to its first metadata entry (architecture llama). */
const withArchitecture = (tensors: bigint | number, kvs: bigint | number): RawGguf =>
  RawGguf.header({ tensors, kvs }).kvString('general.architecture', 'llama');

/** Files built byte by byte, each lying in one way no honest writer would. */
function rawCases(): Record<string, Buffer> {
  const oneTensor = (
    shape: (bigint | number)[],
    typeId: number,
    offset: bigint | number,
    dataBytes: number,
    dims?: number,
  ): Buffer =>
    withArchitecture(1, 1)
      .tensor('token_embd.weight', shape, typeId, offset, dims)
      .data(dataBytes)
      .build();
  return {
    'empty-file': Buffer.alloc(0),
    'magic-only': Buffer.from('GGUF'),
    'version-1': RawGguf.header({ version: 1, tensors: 0, kvs: 0 }).build(),
    'version-4': RawGguf.header({ version: 4, tensors: 0, kvs: 0 }).build(),
    'version-byte-swapped': RawGguf.header({ version: 0x03000000, tensors: 0, kvs: 0 }).build(),
    'kv-count-u64-max': RawGguf.header({ tensors: 0, kvs: U64_MAX }).build(),
    'kv-count-huge-safe': RawGguf.header({ tensors: 0, kvs: 2 ** 53 - 1 }).build(),
    'tensor-count-negative': RawGguf.header({ tensors: 1n << 63n, kvs: 0 }).build(),
    'tensor-count-huge-safe': withArchitecture(2 ** 40, 1).build(),
    'key-length-u64-max': RawGguf.header({ tensors: 0, kvs: 1 })
      .string('general.architecture', U64_MAX)
      .build(),
    'key-length-past-eof': RawGguf.header({ tensors: 0, kvs: 1 })
      .string('general.architecture', 1_000_000)
      .build(),
    'value-length-past-eof': RawGguf.header({ tensors: 0, kvs: 1 })
      .string('general.architecture')
      .u32(8)
      .string('llama', 1n << 40n)
      .build(),
    'value-type-unknown': RawGguf.header({ tensors: 0, kvs: 1 })
      .string('general.architecture')
      .u32(99)
      .build(),
    'array-count-u64-max': withArchitecture(0, 2)
      .string('tokenizer.ggml.tokens')
      .u32(9)
      .u32(0)
      .u64(U64_MAX)
      .build(),
    'array-count-past-eof': withArchitecture(0, 2)
      .string('tokenizer.ggml.tokens')
      .u32(9)
      .u32(0)
      .u64(1n << 40n)
      .build(),
    'array-of-arrays': withArchitecture(0, 2)
      .string('tokenizer.ggml.tokens')
      .u32(9)
      .u32(9)
      .u64(1)
      .u32(0)
      .u64(1)
      .bytes(Buffer.alloc(1))
      .build(),
    'key-empty': RawGguf.header({ tensors: 0, kvs: 1 }).string('').u32(4).u32(1).build(),
    'key-duplicate-with-terminal-escapes': withArchitecture(0, 3)
      .kvU32(TERMINAL_ESCAPE_KEY, 1)
      .kvU32(TERMINAL_ESCAPE_KEY, 2)
      .build(),
    'no-architecture': RawGguf.header({ tensors: 0, kvs: 1 })
      .kvU32('general.alignment', 32)
      .build(),
    'alignment-zero': withArchitecture(0, 2).kvU32('general.alignment', 0).build(),
    'alignment-not-power-of-two': withArchitecture(0, 2).kvU32('general.alignment', 48).build(),
    'alignment-as-string': withArchitecture(0, 2).kvString('general.alignment', '32').build(),
    'tensor-five-dimensions': oneTensor([1, 1, 1, 1, 1], F32, 0, 4),
    'tensor-dimension-u64-max': oneTensor([U64_MAX, 1], F32, 0, 64),
    'tensor-size-overflow': oneTensor([2 ** 40, 2 ** 40], F32, 0, 64),
    'tensor-unknown-type': oneTensor([8], 1000, 0, 64),
    'tensor-removed-type-q4-2': oneTensor([32], 4, 0, 64),
    'tensor-offset-past-eof': oneTensor([8], F32, 1n << 30n, 32),
    'tensor-offset-u64-max': oneTensor([8], F32, U64_MAX, 32),
    'tensor-data-truncated': oneTensor([1_000_000], F32, 0, 1024),
    'tensor-row-not-block-multiple': oneTensor([33], 2, 0, 64),
    'tensor-name-too-long': withArchitecture(1, 1)
      .tensor('t'.repeat(200), [8], F32, 0)
      .data(32)
      .build(),
    'tensors-overlapping': withArchitecture(2, 1)
      .tensor('a.weight', [8], F32, 0)
      .tensor('b.weight', [8], F32, 0)
      .data(64)
      .build(),
    'tensor-duplicate-name': withArchitecture(2, 1)
      .tensor('a.weight', [8], F32, 0)
      .tensor('a.weight', [8], F32, 32)
      .data(64)
      .build(),
  };
}

/**
 * Writes every hostile model file into `dir`: lying headers, and paths that are not files at all
 * (a folder, links to endless devices, a named pipe that would block a reader forever, a link
 * loop). Each entry says which error a person must get for it.
 */
export async function writeHostileGgufCorpus(dir: string): Promise<HostileFile[]> {
  await mkdir(dir, { recursive: true });
  const files: HostileFile[] = [];
  for (const [name, data] of Object.entries(rawCases())) {
    const path = join(dir, `${name}.gguf`);
    await writeFile(path, data);
    files.push({ name, path, code: 'model-invalid' });
  }
  const special = async (
    name: string,
    code: AppErrorCode,
    make: (path: string) => Promise<void>,
  ): Promise<void> => {
    const path = join(dir, `${name}.gguf`);
    await make(path);
    files.push({ name, path, code });
  };
  await special('directory', 'model-invalid', (path) => mkdir(path));
  await special('symlink-to-dev-zero', 'model-invalid', (path) => symlink('/dev/zero', path));
  await special('symlink-to-dev-urandom', 'model-invalid', (path) => symlink('/dev/urandom', path));
  await special('named-pipe', 'model-invalid', async (path) => {
    execFileSync('mkfifo', [path]);
  });
  await special('symlink-loop', 'model-invalid', async (path) => {
    await symlink(`${path}.other`, path);
    await symlink(path, `${path}.other`);
  });
  await special('dangling-symlink', 'model-missing', (path) =>
    symlink(join(dir, 'nothing-here'), path),
  );
  return files;
}
