import type { Mode } from '../../../shared';
import { isMode } from '../../../shared';
import { PonderError } from '../../errors';
import type { RemoteModeTarget } from './remote-engine-options';

function split(spec: string, flag: string): [Mode, string] {
  const at = spec.indexOf('=');
  const mode = spec.slice(0, at);
  const value = spec.slice(at + 1).trim();
  if (at <= 0 || !isMode(mode) || value === '') {
    throw new PonderError('invalid-input', `${flag} expects MODE=VALUE, got "${spec}".`, {
      hint: `MODE is chat, reasoning or search, e.g. ${flag} chat=sft.`,
    });
  }
  return [mode, value];
}

/**
 * Reads `--mode-model chat=sft` (vLLM: the adapter's served name) and `--mode-lora chat=0` or
 * `chat=0:0.5` (llama-server: adapter id and scale, several joined with `+`) into per-mode targets.
 */
export function parseModeTargets(
  models: readonly string[] = [],
  loras: readonly string[] = [],
): Partial<Record<Mode, RemoteModeTarget>> {
  const targets: Partial<Record<Mode, RemoteModeTarget>> = {};
  for (const spec of models) {
    const [mode, model] = split(spec, '--mode-model');
    targets[mode] = { ...targets[mode], model };
  }
  for (const spec of loras) {
    const [mode, value] = split(spec, '--mode-lora');
    const lora = value.split('+').map((part) => {
      const [id, scale = '1'] = part.split(':');
      const parsed = { id: Number(id), scale: Number(scale) };
      if (!Number.isInteger(parsed.id) || parsed.id < 0 || !Number.isFinite(parsed.scale)) {
        throw new PonderError(
          'invalid-input',
          `--mode-lora expects MODE=ID[:SCALE], got "${spec}".`,
          {
            hint: 'Ids are those GET /lora-adapters lists, e.g. --mode-lora chat=0 --mode-lora reasoning=1:1.0.',
          },
        );
      }
      return parsed;
    });
    targets[mode] = { ...targets[mode], lora };
  }
  return targets;
}
