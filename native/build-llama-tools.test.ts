import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceHash } from './build-llama-server';
import { readCachedLlamaTools, toolsSourceHash } from './build-llama-tools';
import { nodeLlamaCppSource } from './llama-source-build';

describe('llama.cpp tools build cache', () => {
  it('has its own key, apart from the llama-server build of the same source', () => {
    const source = nodeLlamaCppSource();
    expect(toolsSourceHash(source)).toMatch(/^[0-9a-f]{16}$/);
    expect(toolsSourceHash(source)).not.toBe(sourceHash(source));
  });

  it('treats a cache folder without its record or binaries as missing', () => {
    const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'ponder-tools-cache-'));
    const source = nodeLlamaCppSource();
    expect(readCachedLlamaTools(source, cacheRoot)).toBeNull();
    const folder = path.join(cacheRoot, toolsSourceHash(source));
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'build.json'),
      JSON.stringify({
        exportLora: path.join(folder, 'bin', 'llama-export-lora'),
        quantize: path.join(folder, 'bin', 'llama-quantize'),
      }),
    );
    expect(readCachedLlamaTools(source, cacheRoot)).toBeNull();
    mkdirSync(path.join(folder, 'bin'));
    writeFileSync(path.join(folder, 'bin', 'llama-export-lora'), '');
    writeFileSync(path.join(folder, 'bin', 'llama-quantize'), '');
    expect(readCachedLlamaTools(source, cacheRoot)?.quantize).toBe(
      path.join(folder, 'bin', 'llama-quantize'),
    );
  });
});
