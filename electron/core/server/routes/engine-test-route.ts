import { z } from 'zod';
import type { EngineTestInput, EngineTestResult } from '../../../shared';
import { PonderError } from '../../errors';
import { checkEngineUrl, testRemoteEngine } from '../../llm/remote';
import { HttpError } from '../http-error';
import type { Route } from '../router';
import { sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';

export const engineTestSchema = z.strictObject({
  url: z.string().trim().min(1).max(2048),
  keyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .max(200)
    .nullable()
    .optional(),
  allowHttp: z.boolean().optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
});

/** Where the key for a test comes from: the variable the form names, else the desktop keychain. */
export interface EngineTestKeys {
  env: NodeJS.ProcessEnv;
  keychain?: () => string | undefined;
}

/**
 * Settings → Engine's "Test connection": asks the server at the typed (not yet saved) address for
 * its models and LoRA adapters. Rejects with one clear line: a bad address, an unset key variable,
 * unreachable, a refused key, or a server that is not OpenAI-compatible. The key is sent to that
 * server only and is never part of the result or an error.
 */
export async function testEngineConnection(
  input: EngineTestInput,
  keys: EngineTestKeys,
  signal?: AbortSignal,
): Promise<EngineTestResult> {
  const url = checkEngineUrl(input.url, input.allowHttp ?? false);
  let apiKey: string | undefined;
  let key: EngineTestResult['key'] = 'none';
  if (input.keyEnv) {
    apiKey = keys.env[input.keyEnv];
    if (!apiKey) {
      throw new PonderError(
        'invalid-input',
        `The variable ${input.keyEnv} that should hold the engine's API key is not set.`,
        { hint: `Set it where Ponder runs (export ${input.keyEnv}=…), or clear the field.` },
      );
    }
    key = 'variable';
  } else {
    apiKey = keys.keychain?.();
    if (apiKey) key = 'keychain';
  }
  const probe = await testRemoteEngine(
    {
      url,
      ...(apiKey ? { apiKey } : {}),
      allowInsecureHttp: input.allowHttp ?? false,
      idleTimeoutMs: (input.timeoutSeconds ?? 60) * 1000,
    },
    signal,
  );
  return {
    url,
    models: probe.models,
    adapters: probe.adapters,
    ...(probe.contextSize === undefined ? {} : { contextSize: probe.contextSize }),
    key,
  };
}

/** `POST /api/engine/test` (`ponder serve`): the key variable is read from the server's environment. */
export function engineTestRoutes(
  keys: EngineTestKeys = { env: process.env },
): readonly Route<RequestContext>[] {
  return [
    {
      method: 'POST',
      path: '/api/engine/test',
      async handle(context) {
        const input = validate(engineTestSchema, await context.body());
        try {
          sendJson(context.response, 200, await testEngineConnection(input, keys));
        } catch (error) {
          // The other server's refusal (say its 401) is not Ponder's own: 502, same code and line.
          if (
            error instanceof PonderError &&
            !['invalid-input', 'forbidden'].includes(error.code)
          ) {
            throw new HttpError(
              502,
              error.code,
              error.message,
              error.hint === undefined ? undefined : { hint: error.hint },
            );
          }
          throw error;
        }
      },
    },
  ];
}
