/**
 * What the remote engine adds on top of llama-server itself: time to the first token and time per
 * token, through OpenAiCompatibleEngine versus the same streamed request read directly (fetch and
 * SSE, nothing else), against one llama-server on 127.0.0.1 serving stories260K with end-of-text
 * suppressed, so every answer is exactly `--tokens` long. Runs alternate between the two paths.
 *
 *   npx tsx bench/remote-overhead.ts [--runs 20] [--tokens 200] [--out bench/results/remote-overhead.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixturePaths } from '../models/fixtures';
import { readCachedLlamaServer } from '../native/build-llama-server';
import { chatRequestBody, createRemoteEngine } from '../electron/core/llm/remote';
import { readSseData } from '../electron/core/llm/remote/read-sse-data';
import { startLlamaServer } from '../electron/core/llm/remote/testing/start-llama-server';
import { systemPromptFor } from '../electron/core/llm/system-prompts';
import { machineInfo } from './machine-info';
import { round, summarize } from './stats';

interface Run {
  firstTokenMs: number;
  perTokenMs: number;
  tokens: number;
}

const QUESTION = 'Tell me a story about a cat.';

async function direct(url: string, maxTokens: number): Promise<Run> {
  const body = chatRequestBody({
    mode: 'chat',
    target: undefined,
    defaultModel: undefined,
    systemPrompt: systemPromptFor('chat'),
    messages: [{ role: 'user', text: QUESTION }],
    temperature: 0,
    maxTokens,
  });
  const started = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.body) throw new Error('no body');
  let first: number | undefined;
  let last = started;
  let tokens = 0;
  for await (const data of readSseData(response.body)) {
    if (data === '[DONE]') break;
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
    if (chunk.choices?.[0]?.delta?.content) {
      last = performance.now();
      first ??= last;
      tokens += 1;
    }
  }
  return timings(started, first, last, tokens);
}

function timings(started: number, first: number | undefined, last: number, tokens: number): Run {
  if (first === undefined || tokens < 2) throw new Error('the server sent no tokens');
  return { firstTokenMs: first - started, perTokenMs: (last - first) / (tokens - 1), tokens };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      tokens: { type: 'string', default: '200' },
      out: { type: 'string', default: 'bench/results/remote-overhead.json' },
    },
  });
  const runs = Number(values.runs);
  const maxTokens = Number(values.tokens);
  const server = await startLlamaServer({
    model: fixturePaths.stories260K,
    contextSize: 4096,
    extra: ['--ignore-eos'],
  });
  const engine = await createRemoteEngine({ url: server.url });
  const results = { direct: [] as Run[], engine: [] as Run[] };
  try {
    // One warm-up each: the first request pays for the server's own first-use costs.
    await direct(server.url, 16);
    for await (const _ of engine.generate({
      mode: 'chat',
      temperature: 0,
      maxTokens: 16,
      messages: [{ role: 'user', text: QUESTION }],
    }));
    for (let run = 0; run < runs; run++) {
      results.direct.push(await direct(server.url, maxTokens));
      const started = performance.now();
      let first: number | undefined;
      let last = started;
      let tokens = 0;
      for await (const event of engine.generate({
        mode: 'chat',
        temperature: 0,
        maxTokens,
        messages: [{ role: 'user', text: QUESTION }],
      })) {
        if (event.type === 'text') {
          last = performance.now();
          first ??= last;
        } else if (event.type === 'done') tokens = event.stats.completionTokens;
        else if (event.type === 'error') throw new Error(event.error.message);
      }
      results.engine.push(timings(started, first, last, tokens));
    }
  } finally {
    await engine.dispose();
    await server.stop();
  }
  const summary = (list: Run[]) => ({
    firstTokenMs: summarize(list.map((r) => r.firstTokenMs)),
    perTokenMs: summarize(list.map((r) => r.perTokenMs)),
    tokens: summarize(list.map((r) => r.tokens)),
  });
  const directSummary = summary(results.direct);
  const engineSummary = summary(results.engine);
  const report = {
    what: 'Overhead of OpenAiCompatibleEngine over reading the same llama-server stream directly',
    date: new Date().toISOString(),
    machine: machineInfo(),
    server: {
      model: path.basename(fixturePaths.stories260K),
      build: readCachedLlamaServer()?.sourceHash ?? null,
      host: '127.0.0.1',
    },
    runs,
    maxTokens,
    direct: directSummary,
    engine: engineSummary,
    overhead: {
      firstTokenMs: round(engineSummary.firstTokenMs.median - directSummary.firstTokenMs.median, 3),
      perTokenMs: round(engineSummary.perTokenMs.median - directSummary.perTokenMs.median, 4),
    },
    command: `npx tsx bench/remote-overhead.ts --runs ${runs} --tokens ${maxTokens}`,
  };
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report.overhead), '→', values.out);
}

void main().catch((error: unknown) => {
  console.error(`remote-overhead: ${(error as Error).message.split('\n')[0]}`);
  process.exit(1);
});
