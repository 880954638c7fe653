/**
 * `npm run eval:retrieval [-- --limit N --only ID --label NAME]`: Search's retrieval over real
 * documentation pages (Debian's documentation packages) served on 127.0.0.1 behind a
 * SearXNG-compatible engine. Writes bench/results/retrieval-<date>[-label].json and an SVG plot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MissingCorpusError } from './retrieval/doc-corpus';
import { plotRetrieval } from './retrieval/plot-retrieval';
import { runRetrievalEval } from './retrieval/run-retrieval-eval';

const { values } = parseArgs({
  options: {
    limit: { type: 'string' },
    only: { type: 'string' },
    label: { type: 'string' },
    'read-budget-ms': { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
  },
});

try {
  const report = await runRetrievalEval({
    ...(values.limit ? { limit: Number(values.limit) } : {}),
    ...(values.only ? { only: values.only } : {}),
    ...(values['read-budget-ms']
      ? {
          timeouts: {
            readBudgetMs: Number(values['read-budget-ms']),
            extractMs: Number(values['read-budget-ms']),
          },
        }
      : {}),
    onOutcome: (o) =>
      console.log(
        `${o.passageHit ? 'hit ' : 'MISS'} ${o.sourceNumber ? `[${o.sourceNumber}]` : '[-]'} rank ${o.answerRank} ${o.wallMs} ms ${o.id}`,
      ),
  });
  const date = new Date().toISOString().slice(0, 10);
  const name = `retrieval-${date}${values.label ? `-${values.label}` : ''}`;
  mkdirSync(values.out, { recursive: true });
  const result = {
    date,
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    ...report,
  };
  writeFileSync(`${values.out}/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${values.out}/${name}.svg`, plotRetrieval(report, name));
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  console.log(
    `\n${report.questions} questions, ranking ${report.method}: page recall@5 ${pct(report.pageRecallAt5)}, passage hit ${pct(report.passageHit)}, MRR ${report.mrr}, question→sources median ${report.medianWallMs} ms (p90 ${report.p90WallMs} ms, CPU ${report.medianCpuMs} ms), longest event-loop block ${report.maxLoopBlockMs} ms`,
  );
  console.log(`Wrote ${values.out}/${name}.json and .svg`);
} catch (error) {
  if (error instanceof MissingCorpusError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
