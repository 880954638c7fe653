import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

export const LOCAL_DOC_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm'];

/**
 * What a Sphinx HTML build keeps beside its pages: the reStructuredText each page was built from
 * (`_sources/*.rst.txt`, the same text again with its markup), style sheets and scripts, the
 * highlighted module sources, and the search and index pages. Searching them would fill the
 * results with copies of the pages.
 */
const SPHINX_MACHINERY = new Set([
  '_sources',
  '_static',
  '_modules',
  'search.html',
  'genindex.html',
  'py-modindex.html',
]);

/** A file or folder of a Sphinx build's top folder that holds no page of its own. */
export function isSphinxMachinery(name: string): boolean {
  return SPHINX_MACHINERY.has(name);
}

/** A Sphinx build's top folder: it has the search index Sphinx writes for its search page. */
function isSphinxBuild(names: string[]): boolean {
  return names.includes('searchindex.js') && names.includes('_sources');
}

/** The documents under a folder that local search reads: text, Markdown and HTML files. */
export function listDocumentFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const sphinx = isSphinxBuild(entries.map((entry) => entry.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (sphinx && isSphinxMachinery(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && LOCAL_DOC_EXTENSIONS.includes(extname(entry.name).toLowerCase()))
        files.push(path);
    }
  };
  walk(root);
  return files;
}
