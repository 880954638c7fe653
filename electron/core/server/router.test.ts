import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error';
import { createRouter } from './router';
import type { Route } from './router';

const route = (method: Route<string>['method'], path: string): Route<string> => ({
  method,
  path,
  handle: async () => undefined,
});

const routes = [
  route('GET', '/api/conversations'),
  route('GET', '/api/conversations/:id'),
  route('PATCH', '/api/conversations/:id'),
  route('GET', '/api/conversations/search'),
  route('GET', '/api/conversations/:id/export'),
];

function failure(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
  }
  throw new Error('expected an HttpError');
}

describe('createRouter', () => {
  const router = createRouter(routes);

  it('prefers a literal segment over a parameter', () => {
    expect(router.match('GET', '/api/conversations/search').route.path).toBe(
      '/api/conversations/search',
    );
    const { route: found, params } = router.match('GET', '/api/conversations/abc');
    expect(found.path).toBe('/api/conversations/:id');
    expect(params).toEqual({ id: 'abc' });
  });

  it('decodes parameters and refuses broken escapes', () => {
    expect(router.match('GET', '/api/conversations/a%20b/export').params).toEqual({ id: 'a b' });
    expect(failure(() => router.match('GET', '/api/conversations/%E0%A4%A')).status).toBe(400);
  });

  it('answers 405 with Allow for a known path and 404 for an unknown one', () => {
    const wrongMethod = failure(() => router.match('DELETE', '/api/conversations'));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.Allow).toBe('GET');
    expect(failure(() => router.match('GET', '/api/nothing')).status).toBe(404);
    expect(failure(() => router.match('GET', '/api/conversations/')).status).toBe(404);
  });

  it('serves HEAD from the GET route', () => {
    expect(router.match('HEAD', '/api/conversations').route.method).toBe('GET');
  });
});
