import { HttpError, methodNotAllowed, notFound } from './http-error';

export interface Route<C> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Literal segments and `:name` parameters, e.g. `/api/conversations/:id/export`. */
  path: string;
  handle(context: C, params: Readonly<Record<string, string>>): Promise<void>;
}

export interface RouteMatch<C> {
  route: Route<C>;
  params: Record<string, string>;
}

/**
 * Finds the route for a method and path. A path that exists under another method is 405 (with
 * `Allow`), an unknown path 404. Literal segments win over parameters, so
 * `/api/conversations/search` never reaches `/api/conversations/:id`.
 */
export function createRouter<C>(routes: readonly Route<C>[]) {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  const literalCount = (segments: string[]): number =>
    segments.filter((segment) => !segment.startsWith(':')).length;
  compiled.sort((a, b) => literalCount(b.segments) - literalCount(a.segments));

  return {
    match(method: string, pathname: string): RouteMatch<C> {
      const parts = pathname.split('/').slice(1);
      const allowed = new Set<string>();
      for (const { route, segments } of compiled) {
        const params = matchSegments(segments, parts);
        if (!params) continue;
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
          return { route, params };
        }
        allowed.add(route.method);
      }
      if (allowed.size > 0) throw methodNotAllowed(method, pathname, [...allowed]);
      throw notFound(`The route ${method} ${pathname}`);
    },
  };
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index] ?? '';
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      params[segment.slice(1)] = decodeSegment(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'invalid-input', 'The URL has a malformed %-escape.');
  }
}
