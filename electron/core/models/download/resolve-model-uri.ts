import { PonderError } from '../../errors';

export interface ResolvedUri {
  url: string;
  /** The name the file gets in the models folder. */
  fileName: string;
}

const HF_URI = /^hf:([^/\s]+)\/([^/\s]+)\/(.+)$/;

/**
 * `hf:OWNER/REPO/PATH` → `${PONDER_HF_ENDPOINT ?? 'https://huggingface.co'}/OWNER/REPO/resolve/main/PATH`;
 * `https://…` (or `http://` to 127.0.0.1 / localhost) is used as is.
 */
export function resolveModelUri(uri: string, env: NodeJS.ProcessEnv = process.env): ResolvedUri {
  const hf = HF_URI.exec(uri);
  if (hf) {
    const [, owner, repo, path] = hf as unknown as [string, string, string, string];
    if (path.split('/').some((part) => part === '..' || part === '')) throw badUri(uri);
    const endpoint = (env.PONDER_HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return {
      url: `${endpoint}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/resolve/main/${encoded}`,
      fileName: path.split('/').at(-1) ?? path,
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw badUri(uri);
  }
  const local = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) throw badUri(uri);
  const fileName = decodeURIComponent(parsed.pathname.split('/').at(-1) ?? '');
  if (!fileName || fileName === '..' || fileName.includes('\\')) throw badUri(uri);
  return { url: parsed.href, fileName };
}

function badUri(uri: string): PonderError {
  return new PonderError(
    'invalid-input',
    `Cannot download "${uri}": not a catalog id, hf:OWNER/REPO/FILE or https URL`,
    {
      hint: 'Run `ponder models list` for the catalog ids.',
    },
  );
}
