import type { Source } from '../../shared';
import { terminalSafe } from './terminal-text';

export interface PrintSourcesOptions {
  /** Under each source, the passages the model was given, with their section and offset. */
  passages: boolean;
  /** Dims the section lines on a colour terminal. */
  dim?: (text: string) => string;
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

/** The numbered sources as a person reads them in a terminal; page text is printed, never obeyed. */
export function formatSources(sources: Source[], options: PrintSourcesOptions): string {
  const dim = options.dim ?? ((text: string) => text);
  const lines: string[] = [];
  for (const source of sources) {
    const title = terminalSafe(source.title, { oneLine: true });
    lines.push(`  [${source.n}] ${title} — ${terminalSafe(source.url, { oneLine: true })}`);
    if (!options.passages) continue;
    for (const passage of source.passages ?? []) {
      const where =
        passage.offset < 0
          ? 'search snippet (the page was not read)'
          : `${passage.section ? `${passage.section} · ` : ''}character ${passage.offset}`;
      lines.push(dim(`      § ${terminalSafe(where, { oneLine: true })}`));
      lines.push(indent(terminalSafe(passage.text), '      '));
    }
  }
  return `${lines.join('\n')}\n`;
}
