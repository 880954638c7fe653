import { isIP } from 'node:net';
import { PonderError } from '../../errors';
import { isBlockedAddress } from '../../rag/fetch/ip-policy';

/** Names that only resolve inside a home or office network. */
const PRIVATE_NAME =
  /(^localhost$|\.localhost$|\.local$|\.lan$|\.internal$|\.home\.arpa$|^[^.]+$)/i;

/** True for loopback and private hosts, where plain http does not cross the internet. */
export function isPrivateHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  // ip-policy's "blocked" set is exactly loopback, private, link-local and unique-local (plus reserved).
  if (isIP(bare)) return isBlockedAddress(bare);
  return PRIVATE_NAME.test(bare);
}

/**
 * Checks the engine address a person typed and returns its base (no trailing slash, no `/v1`).
 * http is allowed only to loopback and private hosts unless `allowInsecureHttp`; an address with
 * a user name or password is refused, because it would show wherever the address is shown.
 */
export function checkEngineUrl(raw: string, allowInsecureHttp = false): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PonderError('invalid-input', `The engine address "${raw}" is not a URL.`, {
      hint: 'Use e.g. http://127.0.0.1:8080 or https://gpu.example.com.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PonderError(
      'invalid-input',
      `The engine address must start with http:// or https://.`,
    );
  }
  if (url.username || url.password) {
    throw new PonderError(
      'invalid-input',
      'The engine address must not carry a user or password.',
      {
        hint: 'Put the key in an environment variable and pass --engine-key-env NAME.',
      },
    );
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isPrivateHost(url.hostname)) {
    throw new PonderError(
      'forbidden',
      `Plain http to ${url.hostname} would send your questions unencrypted over the internet.`,
      { hint: 'Use https, or allow http explicitly (--engine-allow-http).' },
    );
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}`;
}
