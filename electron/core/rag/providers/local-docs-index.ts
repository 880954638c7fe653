import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { PonderError } from '../../errors';
import { extractPage } from '../extract/extract-page';

export const LOCAL_DOC_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm'];

export interface LocalChunkHit {
  path: string;
  title: string;
  /** "Document › Section › Subsection" of the passage. */
  section: string;
  offset: number;
  text: string;
  score: number;
}

export interface ReindexReport {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/**
 * The index is a cache of the documents: when its layout or its passages change (version 2 added
 * each passage's section path, version 3 a passage per defined term) it is dropped and rebuilt
 * from the files on the next search.
 */
const SCHEMA_VERSION = 3;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS doc_files (path TEXT PRIMARY KEY, mtime_ms REAL NOT NULL, size INTEGER NOT NULL, title TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS doc_chunks USING fts5(text, section, path UNINDEXED, offset UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
};

function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && LOCAL_DOC_EXTENSIONS.includes(extname(entry.name).toLowerCase()))
        files.push(path);
    }
  };
  walk(root);
  return files;
}

/** FTS5 query matching any of the words, each quoted so punctuation in a question is not syntax. */
function ftsQuery(query: string): string {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].map((w) => `"${w}"`).join(' OR ');
}

/**
 * A folder of the person's own documents, chunked into an SQLite FTS5 index (file and offset per
 * chunk). `reindex()` reads only files whose mtime or size changed, and drops deleted ones.
 */
export class LocalDocsIndex {
  private readonly db: Database.Database;
  readonly root: string;

  constructor(docsDir: string, indexFile: string) {
    this.root = resolve(docsDir);
    try {
      if (!statSync(this.root).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new PonderError('invalid-input', `The documents folder ${docsDir} does not exist.`, {
        hint: 'Pass --docs with an existing folder of .txt, .md or .html files.',
      });
    }
    mkdirSync(dirname(indexFile), { recursive: true });
    this.db = new Database(indexFile);
    this.db.pragma('journal_mode = WAL');
    if (Number(this.db.pragma('user_version', { simple: true })) !== SCHEMA_VERSION) {
      this.db.exec('DROP TABLE IF EXISTS doc_chunks; DROP TABLE IF EXISTS doc_files;');
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    this.db.exec(SCHEMA);
  }

  reindex(): ReindexReport {
    const report: ReindexReport = { added: 0, updated: 0, removed: 0, unchanged: 0 };
    const known = new Map(
      (
        this.db.prepare('SELECT path, mtime_ms, size FROM doc_files').all() as {
          path: string;
          mtime_ms: number;
          size: number;
        }[]
      )
        .filter((row) => !relative(this.root, row.path).startsWith('..'))
        .map((row) => [row.path, row]),
    );
    const upsertFile = this.db.prepare(
      'INSERT INTO doc_files (path, mtime_ms, size, title) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET mtime_ms = excluded.mtime_ms, size = excluded.size, title = excluded.title',
    );
    const deleteChunks = this.db.prepare('DELETE FROM doc_chunks WHERE path = ?');
    const deleteFile = this.db.prepare('DELETE FROM doc_files WHERE path = ?');
    const insertChunk = this.db.prepare(
      'INSERT INTO doc_chunks (text, section, path, offset) VALUES (?, ?, ?, ?)',
    );
    const changed: { path: string; mtime: number; size: number; isNew: boolean }[] = [];
    for (const path of listFiles(this.root)) {
      const stat = statSync(path);
      const row = known.get(path);
      known.delete(path);
      if (row && row.mtime_ms === stat.mtimeMs && row.size === stat.size) report.unchanged++;
      else changed.push({ path, mtime: stat.mtimeMs, size: stat.size, isNew: !row });
    }
    // Files are read before the transaction so a slow disk never holds the write lock.
    // Documents are read like web pages: by their structure, into passages with section paths.
    const parsed = changed.map((file) => {
      const name = relative(this.root, file.path);
      let page: { title: string; passages: { text: string; section: string; offset: number }[] };
      try {
        page = extractPage({
          body: readFileSync(file.path, 'utf8'),
          contentType: CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'text/plain',
        });
      } catch {
        // A file that is not text (misnamed, binary) is indexed with nothing in it.
        page = { title: '', passages: [] };
      }
      const title = page.title || name;
      return {
        ...file,
        title,
        chunks: page.passages.map((p) => ({
          ...p,
          // A document without headings is placed under its file name.
          section: p.section || title,
        })),
      };
    });
    this.db.transaction(() => {
      for (const file of parsed) {
        deleteChunks.run(file.path);
        upsertFile.run(file.path, file.mtime, file.size, file.title);
        for (const chunk of file.chunks)
          insertChunk.run(chunk.text, chunk.section, file.path, chunk.offset);
        if (file.isNew) report.added++;
        else report.updated++;
      }
      for (const path of known.keys()) {
        deleteChunks.run(path);
        deleteFile.run(path);
        report.removed++;
      }
    })();
    return report;
  }

  search(query: string, limit: number): LocalChunkHit[] {
    const match = ftsQuery(query);
    if (!match) return [];
    const rows = this.db
      .prepare(
        `SELECT c.text AS text, c.section AS section, c.path AS path, c.offset AS offset, f.title AS title, bm25(doc_chunks) AS rank
         FROM doc_chunks c JOIN doc_files f ON f.path = c.path
         WHERE doc_chunks MATCH ? AND c.path >= ? AND c.path < ?
         ORDER BY rank LIMIT ?`,
      )
      .all(match, this.root + '/', this.root + '0', limit) as {
      text: string;
      section: string;
      path: string;
      offset: number;
      title: string;
      rank: number;
    }[];
    return rows.map((row) => ({
      path: row.path,
      title: row.title,
      section: row.section,
      offset: Number(row.offset),
      text: row.text,
      score: -row.rank,
    }));
  }

  static urlOf(hit: Pick<LocalChunkHit, 'path' | 'offset'>): string {
    return `${pathToFileURL(hit.path).href}#offset=${hit.offset}`;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
