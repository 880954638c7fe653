import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isSphinxMachinery } from '../../electron/core/rag/providers/local-docs-files';

/**
 * Real documentation that nobody here wrote: the HTML of Debian's documentation packages. Each
 * collection is served under its own path prefix, so a page's key (`pg/sql-vacuum.html`) is also
 * its URL path.
 */
export interface DocCollection {
  key: string;
  /** The Debian package that installs it. */
  debianPackage: string;
  /** Folders tried in order: the first that exists is used. */
  roots: string[];
  /** Which files of the folder are pages (paths relative to it). */
  include: (fileName: string) => boolean;
  /** Pages in subfolders too (Sphinx sites keep most of theirs in `usage/`, `patterns/`, …). */
  recursive?: boolean;
}

/**
 * A Sphinx site's pages, less what local search also skips (the search page, the generated
 * indexes, `_modules/`), any other `_` folder, and the 404 page a web server would show.
 */
const sphinxPage = (name: string) =>
  name.endsWith('.html') &&
  !name.startsWith('_') &&
  name !== '404.html' &&
  !isSphinxMachinery(name);

export const DOC_COLLECTIONS: DocCollection[] = [
  {
    key: 'pg',
    debianPackage: 'postgresql-doc',
    roots: ['/usr/share/doc/postgresql-doc-15/html', '/usr/share/doc/postgresql-doc-16/html'],
    include: (name) => name.endsWith('.html'),
  },
  {
    key: 'git',
    debianPackage: 'git-doc',
    roots: ['/usr/share/doc/git-doc'],
    include: (name) => name.endsWith('.html'),
  },
  {
    key: 'sqlite',
    debianPackage: 'sqlite3-doc',
    roots: ['/usr/share/doc/sqlite3'],
    include: (name) => name.endsWith('.html'),
  },
  {
    key: 'debref',
    debianPackage: 'debian-reference-en',
    roots: ['/usr/share/debian-reference'],
    include: (name) => name.endsWith('.en.html'),
  },
  {
    key: 'flask',
    debianPackage: 'python-flask-doc',
    roots: ['/usr/share/doc/python-flask-doc/html'],
    include: sphinxPage,
    recursive: true,
  },
  {
    key: 'sphinx',
    debianPackage: 'sphinx-doc',
    roots: ['/usr/share/doc/sphinx-doc/html'],
    include: sphinxPage,
    recursive: true,
  },
];

export interface CorpusPage {
  /** `collection/file.html`: the URL path it is served at. */
  key: string;
  file: string;
  title: string;
  /** Tag-stripped text, lower-cased: only for choosing keyword distractors. */
  words: Set<string>;
  /** The first words of the page body, as a search engine's snippet. */
  snippet: string;
  bytes: number;
}

export class MissingCorpusError extends Error {}

function collectionRoot(collection: DocCollection): string | undefined {
  return collection.roots.find((root) => existsSync(root));
}

/** Says which documentation packages are missing, with the command that installs them. */
export function checkCorpusInstalled(): void {
  const missing = DOC_COLLECTIONS.filter((c) => !collectionRoot(c)).map((c) => c.debianPackage);
  if (missing.length > 0) {
    throw new MissingCorpusError(
      `The retrieval evaluation needs Debian's documentation packages: apt-get install -y ${missing.join(' ')}`,
    );
  }
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  nbsp: ' ',
  '#39': "'",
};

function roughText(html: string): string {
  return html
    .replace(/<(script|style|svg)\b[^]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|nbsp|#39);/g, (_, name: string) => ENTITIES[name] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every page of every collection, with what the fixture search engine needs to list it. */
export function loadCorpus(): CorpusPage[] {
  checkCorpusInstalled();
  const pages: CorpusPage[] = [];
  for (const collection of DOC_COLLECTIONS) {
    const root = collectionRoot(collection);
    if (!root) continue;
    const names = collection.recursive
      ? readdirSync(root, { recursive: true, encoding: 'utf8' })
      : readdirSync(root);
    for (const name of names.sort()) {
      if (!collection.include(name)) continue;
      const file = join(root, name);
      if (!statSync(file).isFile()) continue;
      const html = readFileSync(file, 'utf8');
      const title = roughText(/<title[^>]*>([^]*?)<\/title>/i.exec(html)?.[1] ?? name);
      const body = roughText(/<body[^>]*>([^]*)$/i.exec(html)?.[1] ?? html);
      const words = body.toLowerCase().match(/[a-z0-9_]+/g) ?? [];
      pages.push({
        key: `${collection.key}/${name}`,
        file,
        title,
        words: new Set([...words, ...(title.toLowerCase().match(/[a-z0-9_]+/g) ?? [])]),
        snippet: body.split(' ').slice(0, 30).join(' '),
        bytes: html.length,
      });
    }
  }
  return pages;
}
