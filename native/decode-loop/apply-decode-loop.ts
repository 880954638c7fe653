import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applySourcePatch,
  hasSourcePatch,
  projectFolder,
  removeSourcePatch,
  type SourcePatch,
} from '../source-patch';

const SOURCE = 'AddonGenerateTokens.cpp';
const here = projectFolder(
  path.dirname(fileURLToPath(import.meta.url)),
  path.join('native', 'decode-loop'),
  SOURCE,
);

/** One new file in node-llama-cpp's addon sources and the two methods' registration. */
const DECODE_LOOP: SourcePatch = {
  patch: path.join(here, 'addon-context.patch'),
  files: [{ from: path.join(here, SOURCE), to: path.join('addon', SOURCE) }],
};

/** Takes the decode loop out of node-llama-cpp's addon sources, if it is in them. */
export function removeDecodeLoop(llamaDir: string): void {
  removeSourcePatch(llamaDir, DECODE_LOOP);
}

/**
 * Adds Ponder's native decode loop to node-llama-cpp's addon sources (`llama/addon/`, compiled by
 * its source build). Returns the undo. Throws, naming the patch, when it no longer fits (a new
 * node-llama-cpp: see native/decode-loop/README.md).
 */
export function applyDecodeLoop(llamaDir: string): () => void {
  return applySourcePatch(llamaDir, DECODE_LOOP);
}

/** Whether a llama.cpp folder's addon sources hold the decode loop now. */
export function hasDecodeLoop(llamaDir: string): boolean {
  return hasSourcePatch(llamaDir, DECODE_LOOP);
}
