import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { PonderError } from '../../errors';
import { extractPage } from '../extract/extract-page';
import { listDocumentFiles } from './local-docs-files';

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
 * each passage's section path, version 3 a passage per defined term, version 4 passages without
 * permalink glyphs, version 5 notes that no longer start a section) it is dropped and rebuilt
 * from the files on the next search.
 */
const SCHEMA_VERSION = 5;
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

const WRITE_FAILURES: Record<string, string> = {
  ENOTDIR: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
};

/** The index database, or one line on why the data folder cannot hold it. */
function openIndex(indexFile: string): Database.Database {
  try {
    mkdirSync(dirname(indexFile), { recursive: true });
    return new Database(indexFile);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = (typeof code === 'string' && WRITE_FAILURES[code]) || String(error);
    throw new PonderError(
      'invalid-input',
      `The search index cannot be written to ${dirname(indexFile)}: ${why}.`,
      { hint: 'Pass --data-dir (or set PONDER_DATA_DIR) with a folder Ponder can write to.' },
    );
  }
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
    const isFolder = (() => {
      try {
        return statSync(this.root).isDirectory();
      } catch {
        return undefined;
      }
    })();
    if (isFolder !== true) {
      throw new PonderError(
        'invalid-input',
        isFolder === false
          ? `The documents folder ${docsDir} is a file, not a folder.`
          : `The documents folder ${docsDir} does not exist.`,
        { hint: 'Pass --docs with an existing folder of .txt, .md or .html files.' },
      );
    }
    this.db = openIndex(indexFile);
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
    const files = listDocumentFiles(this.root);
    if (files.length === 0) {
      throw new PonderError(
        'invalid-input',
        `The documents folder ${this.root} has no .txt, .md or .html files to search.`,
        { hint: 'Add documents to it, or pass --docs with another folder.' },
      );
    }
    for (const path of files) {
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

  /** The document's address: its passages are one source, each with its offset in the text. */
  static urlOf(hit: Pick<LocalChunkHit, 'path'>): string {
    return pathToFileURL(hit.path).href;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
