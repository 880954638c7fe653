import type { AppError } from '../../shared';
import type { ResolvedConfig } from '../config';
import { PonderError, toAppError } from '../errors';
import type { Engine } from '../llm';
import { createRemoteEngine } from '../llm/remote';
import type { RemoteEngineOptions } from '../llm/remote';
import { EngineSlot } from './engine-slot';
import type { EngineFactory } from './engine-slot';

export type RemoteEngineFactory = (options: RemoteEngineOptions) => Promise<Engine>;

/** Where the remote engine's API key comes from: the variable `keyEnv` names, else the keychain. */
export interface RemoteKeySource {
  env: NodeJS.ProcessEnv;
  /** The desktop app's key from the OS keychain (Electron safeStorage), when it has one. */
  keychain?: () => string | undefined;
}

/** The remote engine's options from the settings; throws one clear line when they cannot work. */
export function remoteEngineOptionsFrom(
  config: ResolvedConfig,
  keys: RemoteKeySource,
): RemoteEngineOptions {
  const { engine } = config;
  if (!engine.url) {
    throw new PonderError('invalid-input', 'The remote engine has no server address.', {
      hint: 'Pass --engine-url URL, or set it in Settings → Engine.',
    });
  }
  let apiKey: string | undefined;
  if (engine.keyEnv) {
    apiKey = keys.env[engine.keyEnv];
    if (!apiKey) {
      throw new PonderError(
        'unauthorized',
        `The variable ${engine.keyEnv} that should hold the engine's API key is not set.`,
        { hint: `Set it (export ${engine.keyEnv}=…), or drop --engine-key-env.` },
      );
    }
  } else apiKey = keys.keychain?.();
  return {
    url: engine.url,
    ...(apiKey ? { apiKey } : {}),
    modes: engine.modes,
    ...(engine.defaultModel ? { defaultModel: engine.defaultModel } : {}),
    allowInsecureHttp: engine.allowHttp,
    idleTimeoutMs: engine.timeoutSeconds * 1000,
    contextSize: config.contextSize,
  };
}

/**
 * The engine slot, able to run the modes on a server instead of loading the model here: with
 * `engine.kind` remote it connects instead (no model file needed), and reconnects when an engine
 * setting changes. With the local engine it is exactly EngineSlot.
 */
export class RemoteAwareEngineSlot extends EngineSlot {
  private current: ResolvedConfig;
  private connecting: Promise<Engine> | undefined;
  private connected: Engine | undefined;
  private connectError: AppError | undefined;

  constructor(
    config: ResolvedConfig,
    factory: EngineFactory,
    private readonly keys: RemoteKeySource,
    private readonly remoteFactory: RemoteEngineFactory = createRemoteEngine,
  ) {
    super(config, factory);
    this.current = config;
  }

  override get(onLoadProgress?: (progress: number) => void): Promise<Engine> {
    if (this.current.engine.kind !== 'remote') return super.get(onLoadProgress);
    if (this.connecting) return this.connecting;
    let attempt: Promise<Engine>;
    try {
      attempt = this.remoteFactory(remoteEngineOptionsFrom(this.current, this.keys));
    } catch (error) {
      attempt = Promise.reject(error);
    }
    const tracked = attempt.then(
      (engine) => {
        if (this.connecting === tracked) {
          this.connected = engine;
          this.connectError = undefined;
        }
        return engine;
      },
      (error: unknown) => {
        // Not cached: starting the server and asking again must work.
        if (this.connecting === tracked) {
          this.connecting = undefined;
          this.connectError = toAppError(error);
        }
        throw error;
      },
    );
    this.connecting = tracked;
    return tracked;
  }

  override state(): ReturnType<EngineSlot['state']> {
    if (this.current.engine.kind !== 'remote') return super.state();
    return {
      ...(this.connected ? { engine: this.connected } : {}),
      loading: this.connecting !== undefined && this.connected === undefined,
      ...(this.connectError ? { error: this.connectError } : {}),
      configured: Boolean(this.current.engine.url),
    };
  }

  override async reconfigure(next: ResolvedConfig): Promise<void> {
    const changed = JSON.stringify(next.engine) !== JSON.stringify(this.current.engine);
    this.current = next;
    if (changed) await this.disconnect();
    await super.reconfigure(next);
  }

  override async unload(): Promise<void> {
    await this.disconnect();
    await super.unload();
  }

  private async disconnect(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    this.connected = undefined;
    this.connectError = undefined;
    const engine = await pending?.catch(() => undefined);
    await engine?.dispose();
  }
}
