import type { AdapterRole, AppError, HealthInfo } from '../../shared';
import { MODE_ADAPTER, MODES } from '../../shared';
import type { ResolvedConfig } from '../config';
import type { EngineSlot } from './engine-slot';

const CONFIGURED_PATH: Record<AdapterRole, 'sftPath' | 'grpoPath'> = {
  sft: 'sftPath',
  grpo: 'grpoPath',
};

/**
 * What `/api/health` and the app's header report: whether the model is loading, ready or broken
 * (and why), each mode's adapter and whether it works, and how the model runs (threads and why).
 */
export function healthReport(
  engines: EngineSlot,
  config: ResolvedConfig,
  base: { version: string; notices: string[] },
): HealthInfo {
  const state = engines.state();
  const info = state.engine?.info();
  // What is known about the adapters: from the loaded model, else from the file check at start.
  const adapters = info?.adapters ?? state.checked?.adapters;
  const adapterErrors = info?.adapterErrors ?? state.checked?.adapterErrors;
  const modes = MODES.map((mode) => {
    const role = MODE_ADAPTER[mode];
    const problem: AppError | undefined = adapterErrors?.[role];
    if (!config[CONFIGURED_PATH[role]])
      return { mode, adapter: 'base', adapterStatus: 'not-configured' as const };
    if (problem) return { mode, adapter: 'base', adapterStatus: 'error' as const, error: problem };
    if (adapters?.[role]) return { mode, adapter: role, adapterStatus: 'ready' as const };
    return { mode, adapter: role, adapterStatus: 'unchecked' as const };
  });
  const common = {
    version: base.version,
    modes,
    ...(base.notices.length > 0 ? { notices: base.notices } : {}),
  };
  if (!state.configured) return { ...common, status: 'no-model' };
  if (state.error) return { ...common, status: 'error', error: state.error };
  if (state.loading) {
    return {
      ...common,
      status: 'loading',
      ...(state.progress === undefined ? {} : { loadProgress: state.progress }),
    };
  }
  if (!info) return { ...common, status: 'ready' };
  return {
    ...common,
    status: 'ready',
    model: {
      path: info.modelPath,
      architecture: info.architecture,
      gpu: info.gpu,
      threads: info.threads,
      threadReason: info.threadReason,
      contextSize: info.contextSize,
      ...(info.decodeLoop ? { decodeLoop: info.decodeLoop } : {}),
      ...(info.topK ? { topK: info.topK } : {}),
      ...(info.fastModes ? { fastModes: info.fastModes } : {}),
      ...(info.runtimeAdapters ? { runtimeAdapters: info.runtimeAdapters } : {}),
    },
  };
}
