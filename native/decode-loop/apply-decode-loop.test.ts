import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeLlamaCppDir } from '../build-cuda';
import { folderSnapshot } from '../testing/folder-snapshot';
import { applyDecodeLoop, hasDecodeLoop, removeDecodeLoop } from './apply-decode-loop';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of node-llama-cpp's addon sources, as npm installed them. */
function addonCopy(): string {
  const llamaDir = mkdtempSync(path.join(tmpdir(), 'ponder-decode-loop-'));
  scratch.push(llamaDir);
  cpSync(path.join(nodeLlamaCppDir(), 'llama', 'addon'), path.join(llamaDir, 'addon'), {
    recursive: true,
  });
  // A source build in progress may have the loop in the installed copy right now.
  removeDecodeLoop(llamaDir);
  return llamaDir;
}

const snapshot = (llamaDir: string) => folderSnapshot(path.join(llamaDir, 'addon'));

describe('the native decode loop patch', () => {
  it('fits node-llama-cpp’s addon sources and registers the two methods', () => {
    const llamaDir = addonCopy();
    applyDecodeLoop(llamaDir);
    expect(hasDecodeLoop(llamaDir)).toBe(true);
    const context = readFileSync(path.join(llamaDir, 'addon', 'AddonContext.cpp'), 'utf8');
    expect(context).toContain('InstanceMethod("generateTokens", &AddonContext::GenerateTokens)');
    expect(context).toContain(
      'InstanceMethod("cancelGeneration", &AddonContext::CancelGeneration)',
    );
  });

  it('is undone byte for byte, and applying twice is the same as once', () => {
    const llamaDir = addonCopy();
    const pristine = snapshot(llamaDir);
    applyDecodeLoop(llamaDir);
    const once = snapshot(llamaDir);
    const undo = applyDecodeLoop(llamaDir);
    expect(snapshot(llamaDir)).toEqual(once);
    undo();
    expect(snapshot(llamaDir)).toEqual(pristine);
  });

  it('names the patch when it does not fit', () => {
    const llamaDir = addonCopy();
    rmSync(path.join(llamaDir, 'addon', 'AddonContext.h'));
    expect(() => applyDecodeLoop(llamaDir)).toThrow(/addon-context\.patch does not apply/);
  });
});
