import { parseArgs } from 'node:util';
import type { RetrievalReport } from '../../../shared';
import type { CliCommand, CliIO } from '../cli-command';
import { CORE_FLAG_OPTIONS, coreFlagsFrom } from '../common-flags';
import { isPrivateHostRefusal } from '../../rag/fetch/safe-fetch';
import { formatSources } from '../print-sources';
import { terminalSafe } from '../terminal-text';
import { EXIT_USAGE, usageErrorFromParseArgs } from '../usage-error';

const USAGE = `Usage: ponder search [options] "question"

Shows what Search would read for a question, without asking the model: the numbered sources, each
with the passages (section and place in the page) that would be given to the model. No model is
needed.

  --json                   print the whole report as one JSON object
  --top-k N                sources to return (1-20, default 5)
  --search-provider NAME   duckduckgo, searxng or local
  --searxng-url URL        the SearXNG instance for --search-provider searxng
  --docs DIR               folder of documents to search (implies --search-provider local)
  --embedding-model DIR    local all-MiniLM-L6-v2 folder (transformers.js format) for ranking
  --reranker-model DIR     local ms-marco-MiniLM-L-6-v2 cross-encoder folder for the last ranking stage
  --allow-private-host H   let Search read pages from this private/loopback host (repeatable)
  --data-dir DIR           settings and models folder (else PONDER_DATA_DIR)
  -h, --help               show this help`;

const SEARCH_FLAGS = {
  'search-provider': CORE_FLAG_OPTIONS['search-provider'],
  'searxng-url': CORE_FLAG_OPTIONS['searxng-url'],
  docs: CORE_FLAG_OPTIONS.docs,
  'top-k': CORE_FLAG_OPTIONS['top-k'],
  'embedding-model': CORE_FLAG_OPTIONS['embedding-model'],
  'reranker-model': CORE_FLAG_OPTIONS['reranker-model'],
  'allow-private-host': CORE_FLAG_OPTIONS['allow-private-host'],
  'data-dir': CORE_FLAG_OPTIONS['data-dir'],
} as const;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        ...SEARCH_FLAGS,
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw usageErrorFromParseArgs(error, 'search');
  }
}

function printReport(report: RetrievalReport, io: CliIO): void {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true && !io.env.NO_COLOR;
  const dim = (text: string) => (tty ? `\x1b[2m${text}\x1b[22m` : text);
  const note = (text: string) => io.stderr.write(`${dim(terminalSafe(text, { oneLine: true }))}\n`);
  note(
    `${report.provider}: ${report.resultCount} results, ${report.pagesRead} ${report.pagesRead === 1 ? 'page' : 'pages'} read, ranked by ${report.method} · ${report.ms} ms`,
  );
  // Pages refused for one reason (every page of a private host) are one line, not one each.
  const byReason = new Map<string, string[]>();
  for (const page of report.unread) {
    const urls = byReason.get(page.reason) ?? [];
    urls.push(page.url);
    byReason.set(page.reason, urls);
  }
  for (const [reason, urls] of byReason)
    note(`not read: ${urls.length === 1 ? urls[0] : `${urls.length} pages`} — ${reason}`);
  if ([...byReason.keys()].some(isPrivateHostRefusal))
    note('To read pages from a host on this machine or network, pass --allow-private-host HOST.');
  if (report.note) note(report.note);
  if (report.sources.length === 0) {
    io.stdout.write('No sources found.\n');
    return;
  }
  io.stdout.write(`Sources:\n${formatSources(report.sources, { passages: true, dim })}`);
}

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'show the sources and passages Search would give the model (no model needed)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const question = positionals.join(' ').trim();
    if (question === '') {
      io.stderr.write(`ponder search: no question given.\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    const flags = coreFlagsFrom(values);
    const { createPonderCore } = await import('../../app');
    // Retrieval needs neither the model nor the conversation history.
    const core = await createPonderCore({ flags, env: io.env, memory: false });
    try {
      const report = await core.retrieve(question, {}, io.signal);
      if (values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
      else printReport(report, io);
      return 0;
    } finally {
      await core.dispose();
    }
  },
};
