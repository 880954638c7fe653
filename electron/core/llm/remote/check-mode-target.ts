import type { Mode } from '../../../shared';
import { PonderError } from '../../errors';
import type { RemoteEngineProbe } from './probe-remote-engine';
import type { RemoteModeTarget } from './remote-engine-options';

/**
 * Refuses a mode whose adapter the server does not offer, before anything is sent: an unknown
 * LoRA id would otherwise be silently ignored by some servers and the mode would run without it.
 * Returns undefined when the mode can run.
 */
export function checkModeTarget(
  where: string,
  mode: Mode,
  target: RemoteModeTarget | undefined,
  probe: RemoteEngineProbe,
): PonderError | undefined {
  if (target?.lora) {
    if (!probe.adapters) {
      return new PonderError(
        'adapter-missing',
        `The engine at ${where} does not list LoRA adapters, so ${mode} mode's adapter id cannot be used there.`,
        { hint: 'On vLLM, name the adapter as the mode’s model instead (--mode-model chat=sft).' },
      );
    }
    const known = new Set(probe.adapters.map((adapter) => adapter.id));
    const missing = target.lora.filter((adapter) => !known.has(adapter.id));
    if (missing.length > 0) {
      const offered =
        probe.adapters.map((adapter) => `${adapter.id} (${adapter.path})`).join(', ') || 'none';
      return new PonderError(
        'adapter-missing',
        `The engine at ${where} has no LoRA adapter id ${missing.map((a) => a.id).join(', ')} for ${mode} mode; it has: ${offered}.`,
        {
          hint: 'Fix the mode’s adapter id, or start llama-server with that adapter (--lora FILE).',
        },
      );
    }
  }
  if (target?.model && probe.models.length > 0 && !probe.models.includes(target.model)) {
    return new PonderError(
      'model-missing',
      `The engine at ${where} does not serve a model named "${target.model}" for ${mode} mode; it serves: ${probe.models.join(', ')}.`,
      {
        hint: 'On vLLM each adapter is a model: --lora-modules NAME=DIR, then --mode-model MODE=NAME.',
      },
    );
  }
  return undefined;
}
