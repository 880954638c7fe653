import { describe, expect, it } from 'vitest';
import { checkEngineUrl, isPrivateHost } from './check-engine-url';

describe('checkEngineUrl', () => {
  it('accepts http to loopback and private hosts, and strips /v1 and trailing slashes', () => {
    expect(checkEngineUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(checkEngineUrl('http://localhost:8000/v1/')).toBe('http://localhost:8000');
    expect(checkEngineUrl('http://192.168.1.20:8000/v1')).toBe('http://192.168.1.20:8000');
    expect(checkEngineUrl('http://10.0.0.5')).toBe('http://10.0.0.5');
    expect(checkEngineUrl('http://[::1]:8080')).toBe('http://[::1]:8080');
    expect(checkEngineUrl('http://gpu-box:8000')).toBe('http://gpu-box:8000');
    expect(checkEngineUrl('http://gpu.lan:8000/llm')).toBe('http://gpu.lan:8000/llm');
  });

  it('accepts https anywhere', () => {
    expect(checkEngineUrl('https://llm.example.com/v1')).toBe('https://llm.example.com');
  });

  it('refuses plain http to a public host unless allowed explicitly', () => {
    expect(() => checkEngineUrl('http://llm.example.com')).toThrow(
      'Plain http to llm.example.com would send your questions unencrypted over the internet.',
    );
    expect(() => checkEngineUrl('http://8.8.8.8:8000')).toThrow(/unencrypted/);
    expect(checkEngineUrl('http://llm.example.com', true)).toBe('http://llm.example.com');
  });

  it('refuses what is not an http(s) URL, or carries credentials', () => {
    expect(() => checkEngineUrl('gpu-box:8000')).toThrow(/must start with http/);
    expect(() => checkEngineUrl('not a url')).toThrow(
      'The engine address "not a url" is not a URL.',
    );
    expect(() => checkEngineUrl('https://user:secret@llm.example.com')).toThrow(
      'The engine address must not carry a user or password.',
    );
  });

  it('tells private hosts from public ones', () => {
    expect(isPrivateHost('172.16.0.1')).toBe(true);
    expect(isPrivateHost('fd00::1')).toBe(true);
    expect(isPrivateHost('172.32.0.1')).toBe(false);
    expect(isPrivateHost('example.com')).toBe(false);
  });
});
