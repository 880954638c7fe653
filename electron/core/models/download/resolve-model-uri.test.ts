import { describe, expect, it } from 'vitest';
import { resolveModelUri } from './resolve-model-uri';

describe('resolveModelUri', () => {
  it('maps hf: URIs to Hugging Face resolve URLs', () => {
    expect(
      resolveModelUri(
        'hf:Qwen/Qwen2.5-7B-Instruct-GGUF/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf',
        {},
      ),
    ).toEqual({
      url: 'https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF/resolve/main/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf',
      fileName: 'qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf',
    });
  });

  it('uses PONDER_HF_ENDPOINT and keeps folders inside the repository', () => {
    expect(
      resolveModelUri('hf:me/repo/sub/model.gguf', { PONDER_HF_ENDPOINT: 'http://127.0.0.1:9/' }),
    ).toEqual({
      url: 'http://127.0.0.1:9/me/repo/resolve/main/sub/model.gguf',
      fileName: 'model.gguf',
    });
  });

  it('accepts https URLs and refuses plain http, paths that climb out, and nonsense', () => {
    expect(resolveModelUri('https://example.com/m/x.gguf', {}).fileName).toBe('x.gguf');
    for (const bad of [
      'http://example.com/x.gguf',
      'hf:me/repo/../x.gguf',
      'qwen',
      'file:///etc/passwd',
    ]) {
      expect(() => resolveModelUri(bad, {})).toThrow(/^Cannot download /);
    }
  });
});
