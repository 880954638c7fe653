import { parseArgs } from 'node:util';
import type { AnswerEvent, GenerationStats, Mode, Source } from '../../../shared';
import { isMode, MODE_LABEL, MODES } from '../../../shared';
import type { AgentRequest } from '../../agent';
import { formatAppError, PonderError } from '../../errors';
import type { CliCommand, CliIO } from '../cli-command';
import { CORE_FLAG_OPTIONS, CORE_FLAGS_USAGE, coreFlagsFrom } from '../common-flags';

const USAGE = `Usage: ponder ask [options] "question"

Asks the model and streams the answer: in reasoning and search modes the working out first (dimmed
on a terminal), then the answer. The question and answer are saved in the conversation history.

  --mode MODE              chat (Fast Chat, default), reasoning (Deep Reasoning) or search
  --temperature N          sampling temperature, 0 for the most likely words (default 0.7 chat, 0.6 otherwise)
  --seed N                 sampling seed, for repeatable answers
  --max-tokens N           longest answer in tokens (default 1024)
  --conversation ID        continue a saved conversation (see \`ponder history\`)
  --no-history             do not save this question and answer
  --json                   print one JSON event per line instead of text
${CORE_FLAGS_USAGE}
  -h, --help               show this help

Without --model, the model comes from PONDER_MODEL or the settings the app saved; get one with
\`ponder models download\`.`;

const EXIT_CANCELLED = 130;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        ...CORE_FLAG_OPTIONS,
        mode: { type: 'string' },
        temperature: { type: 'string' },
        seed: { type: 'string' },
        'max-tokens': { type: 'string' },
        conversation: { type: 'string' },
        'no-history': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new PonderError('invalid-input', error instanceof Error ? error.message : String(error), {
      hint: 'Run `ponder ask --help` for the options.',
    });
  }
}

function numberFlag(
  name: string,
  value: string | undefined,
  check: { integer?: boolean; min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  const valid =
    value.trim() !== '' &&
    Number.isFinite(parsed) &&
    (!check.integer || Number.isInteger(parsed)) &&
    parsed >= check.min &&
    parsed <= check.max;
  if (!valid) {
    const kind = check.integer ? 'a whole number' : 'a number';
    throw new PonderError(
      'invalid-input',
      `--${name} must be ${kind} from ${check.min} to ${check.max}, not "${value}".`,
    );
  }
  return parsed;
}

function parseMode(value: string | undefined): Mode {
  if (value === undefined) return 'chat';
  if (isMode(value)) return value;
  throw new PonderError(
    'invalid-input',
    `--mode must be one of ${MODES.join(', ')}, not "${value}".`,
  );
}

/** Writes the answer as a person reads it: sections labelled, working out dimmed on a terminal. */
class TerminalAnswer {
  private section: 'reasoning' | 'solution' | 'text' | undefined;
  private readonly color: boolean;
  private sources: Source[] = [];

  constructor(private readonly io: CliIO) {
    const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
    this.color = tty && !io.env.NO_COLOR;
  }

  write(event: AnswerEvent): void {
    switch (event.type) {
      case 'reasoning':
      case 'solution':
      case 'text':
        this.enter(event.type);
        this.io.stdout.write(event.type === 'reasoning' ? this.dim(event.text) : event.text);
        break;
      case 'search-started':
        this.note(`Searching ${event.provider} for "${event.query}"…`);
        break;
      case 'search-results':
        this.note(`${event.count} results from ${event.provider} in ${event.ms} ms.`);
        break;
      case 'notice':
        this.note(event.text);
        break;
      case 'ranked':
        // Only the fallback is news: keyword-only ranking may miss sources a person would expect.
        if (event.note) this.note(event.note);
        break;
      case 'sources':
        this.sources = event.sources;
        break;
      case 'done':
        this.finish(event.stats);
        break;
      default:
        break;
    }
  }

  private enter(section: 'reasoning' | 'solution' | 'text'): void {
    if (section === this.section) return;
    const heading =
      section === 'reasoning' ? 'Reasoning:' : section === 'solution' ? 'Answer:' : '';
    const gap = this.section === undefined ? '' : '\n\n';
    this.io.stdout.write(`${gap}${heading ? `${this.dim(heading)}\n` : ''}`);
    this.section = section;
  }

  private finish(stats: GenerationStats): void {
    if (this.section !== undefined) this.io.stdout.write('\n');
    if (this.sources.length > 0) {
      this.io.stdout.write(`\nSources:\n`);
      for (const source of this.sources) {
        this.io.stdout.write(`  [${source.n}] ${source.title} — ${source.url}\n`);
      }
    }
    const stopped = stats.stopReason === 'cancelled' ? ' · cancelled' : '';
    const limit = stats.stopReason === 'max-tokens' ? ' · stopped at the token limit' : '';
    this.note(
      `${MODE_LABEL[stats.mode]} (${stats.adapter}) · ${stats.completionTokens} tokens · ` +
        `${stats.tokensPerSecond} tokens/s · first token ${Math.round(stats.timeToFirstTokenMs)} ms${stopped}${limit}`,
    );
  }

  private note(text: string): void {
    this.io.stderr.write(`${this.color ? `\x1b[2m${text}\x1b[22m` : text}\n`);
  }

  private dim(text: string): string {
    return this.color ? `\x1b[2m${text}\x1b[22m` : text;
  }
}

/**
 * Keeps Ctrl+C a cancel while the answer streams: a dependency installs signal-exit, which re-raises
 * SIGINT (ending the process before the answer is closed and saved) when it sees no other listener,
 * and the CLI's own listener is a `once`. A second Ctrl+C still ends the process at once.
 */
function holdInterrupts(): () => void {
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

export const askCommand: CliCommand = {
  name: 'ask',
  summary: 'ask a question in chat, reasoning or search mode',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const question = positionals.join(' ').trim();
    if (question === '') {
      io.stderr.write(`ponder ask: no question given.\n${USAGE}\n`);
      return 2;
    }
    const mode = parseMode(values.mode);
    const temperature = numberFlag('temperature', values.temperature, { min: 0, max: 2 });
    const seed = numberFlag('seed', values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 });
    const maxTokens = numberFlag('max-tokens', values['max-tokens'], {
      integer: true,
      min: 1,
      max: 1_000_000,
    });
    // Loaded only now: a typo in an option is answered before the model and search code loads.
    const [{ createPonderCore }, { nodeEngineFactory }] = await Promise.all([
      import('../../app'),
      import('../../model-host'),
    ]);
    const core = await createPonderCore({
      flags: coreFlagsFrom(values),
      env: io.env,
      memory: !values['no-history'],
      // The model runs in a child process, so a native crash in llama.cpp ends only that process.
      engineFactory: nodeEngineFactory({}, io.env),
    });
    const releaseInterrupts = holdInterrupts();
    try {
      const request: AgentRequest = {
        mode,
        text: question,
        signal: io.signal,
        ...(temperature === undefined ? {} : { temperature }),
        ...(seed === undefined ? {} : { seed }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(values.conversation ? { conversationId: values.conversation } : {}),
      };
      const terminal = values.json ? undefined : new TerminalAnswer(io);
      let exitCode = 1;
      for await (const event of core.ask(request)) {
        if (terminal) terminal.write(event);
        else io.stdout.write(`${JSON.stringify(event)}\n`);
        if (event.type === 'done') {
          exitCode = event.stats.stopReason === 'cancelled' ? EXIT_CANCELLED : 0;
        } else if (event.type === 'error') {
          exitCode = event.error.code === 'cancelled' ? EXIT_CANCELLED : 1;
          if (terminal) io.stderr.write(`ponder ask: ${formatAppError(event.error)}\n`);
        }
      }
      return exitCode;
    } finally {
      await core.dispose();
      releaseInterrupts();
    }
  },
};
