import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/** Largest request body accepted. A question is at most 32,000 characters; chat history adds some. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

const tooLarge = (limit: number): HttpError =>
  new HttpError(413, 'payload-too-large', `The request body is larger than ${limit} bytes.`, {
    hint: 'Send a shorter question or fewer history messages.',
    // The rest of the body is never read, so the connection cannot be reused.
    headers: { Connection: 'close' },
  });

/**
 * Reads and parses a JSON body under a size cap. Refuses a non-JSON content type (a cross-site form
 * can only send form or text types), a body over the cap (413) and malformed JSON (400).
 */
/**
 * An oversized body is still read (and dropped) up to this multiple of the cap, so the client gets
 * its 413 answer instead of a reset connection; beyond it the connection is cut.
 */
const DRAIN_FACTOR = 16;

export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) throw tooLarge(limit);
  const body = await collect(request, limit);
  if (body === undefined) throw tooLarge(limit);
  const type = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'invalid-input', 'The body must be JSON.', {
      hint: 'Send it with "Content-Type: application/json".',
    });
  }
  const text = body.toString('utf8');
  if (text.trim() === '') {
    throw new HttpError(400, 'invalid-input', 'The request body is empty.', {
      hint: 'Send a JSON object.',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid-input', 'The request body is not valid JSON.', {
      hint: 'Check quotes, commas and brackets.',
    });
  }
}

/** The body, or undefined when it was over the cap (its rest read and dropped). */
function collect(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else if (received > limit * DRAIN_FACTOR) {
        request.removeAllListeners('data');
        request.pause();
        resolve(undefined);
      }
    });
    request.once('end', () => resolve(received <= limit ? Buffer.concat(chunks) : undefined));
    request.once('error', reject);
    request.once('aborted', () =>
      reject(new HttpError(400, 'cancelled', 'The request was aborted.')),
    );
  });
}
