// What the model process costs: load time in process vs in a child process, one answer through the
// child, and how long a crash takes to come back. Prints one JSON line per round.
// Usage: node --import tsx electron/core/model-host/testing/measure-startup.ts [model.gguf] [rounds]
import { resolve } from 'node:path';
import { createEngine } from '../../llm';
import { createRemoteEngine, forkModelHost } from '..';

const modelPath =
  process.argv[2] ??
  resolve(import.meta.dirname, '../../../../../shared/fixtures/stories260K.gguf');
const rounds = Number(process.argv[3] ?? 3);
const options = { modelPath, threads: 1, gpu: false as const, contextSize: 512 };
const question = {
  mode: 'chat' as const,
  messages: [{ role: 'user' as const, text: 'Once upon a time' }],
  maxTokens: 60,
  temperature: 0,
};

for (let round = 0; round < rounds; round++) {
  let started = performance.now();
  const local = await createEngine(options);
  const inProcessLoadMs = performance.now() - started;
  await local.dispose();

  started = performance.now();
  const remote = await createRemoteEngine(options, { spawn: forkModelHost() });
  const childLoadMs = performance.now() - started;

  started = performance.now();
  for await (const event of remote.generate(question)) void event;
  const childAnswerMs = performance.now() - started;

  const pid = remote.pid;
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
  started = performance.now();
  let recovered = false;
  while (!recovered) {
    for await (const event of remote.generate({ ...question, maxTokens: 1 }))
      recovered = event.type === 'done';
  }
  const crashToAnswerMs = performance.now() - started;
  await remote.dispose();
  const ms = (value: number): number => Math.round(value);
  console.log(
    JSON.stringify({
      round,
      inProcessLoadMs: ms(inProcessLoadMs),
      childLoadMs: ms(childLoadMs),
      childAnswer60TokensMs: ms(childAnswerMs),
      crashToAnswerMs: ms(crashToAnswerMs),
    }),
  );
}
