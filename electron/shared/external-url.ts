import type { Result } from './errors';

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const MAX_URL_LENGTH = 4096;

const hasControlCharacter = (text: string): boolean =>
  [...text].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

/**
 * Decides whether a link may be handed to the system (shell.openExternal): only http, https and
 * mailto, parsed with `new URL()`, exactly as given (SECURITY.md #9). Anything that needs trimming or
 * guessing is refused, because the OS would interpret it differently than we checked it.
 */
export function checkExternalUrl(raw: unknown): Result<string> {
  const refuse = (why: string): Result<string> => ({
    ok: false,
    error: {
      code: 'forbidden',
      message: `Ponder will not open this link: ${why}.`,
      hint: 'Only web (http, https) and e-mail (mailto) links open outside Ponder.',
    },
  });
  if (typeof raw !== 'string' || raw === '') return refuse('it is empty');
  if (raw.length > MAX_URL_LENGTH) return refuse('it is too long');
  if (raw.trim() !== raw || /\s/.test(raw) || hasControlCharacter(raw)) {
    return refuse('it contains spaces or control characters');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('it is not a complete URL');
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol))
    return refuse(`"${url.protocol}" links are not allowed`);
  if (url.protocol !== 'mailto:' && url.hostname === '') return refuse('it has no host');
  if (url.username || url.password) return refuse('it carries a user name or password');
  return { ok: true, value: url.href };
}
