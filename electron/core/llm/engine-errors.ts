import type { AppErrorCode } from '../../shared';
import { PonderError } from '../errors';

const OUT_OF_MEMORY =
  /insufficient memory|out of memory|too large for the available|failed to allocate|cannot allocate|unable to allocate|ErrorOutOfDeviceMemory|cudaMalloc/i;

const MEMORY_HINT =
  'Close other programs, use a smaller model or quantisation, lower --context-size, or offload fewer layers to the GPU.';

/** First line of a message, without the stack or the native library's multi-line dump. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0]?.trim() || 'unknown error';
}

/**
 * node-llama-cpp's InsufficientMemoryError is recognised by its class name, not `instanceof`: a
 * value import here would load all of node-llama-cpp into every process that formats an error.
 */
export function isOutOfMemory(error: unknown): boolean {
  const insufficient =
    error instanceof Error && error.constructor.name === 'InsufficientMemoryError';
  return insufficient || OUT_OF_MEMORY.test(firstLine(error));
}

/**
 * Wraps a failure of node-llama-cpp in one line a person can act on. PonderErrors and aborts pass
 * through; out-of-memory becomes `insufficient-memory` whatever step ran out.
 */
export function llamaError(
  error: unknown,
  doing: string,
  fallback: { code: AppErrorCode; hint: string },
): unknown {
  if (error instanceof PonderError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (isOutOfMemory(error)) {
    return new PonderError('insufficient-memory', `Not enough memory ${doing}.`, {
      hint: MEMORY_HINT,
      cause: error,
    });
  }
  return new PonderError(fallback.code, `Failed ${doing}: ${firstLine(error)}`, {
    hint: fallback.hint,
    cause: error,
  });
}
