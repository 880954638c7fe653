import { parseArgs } from 'node:util';
import type { AnswerEvent, GenerationStats, Mode, SearchDepth, Source } from '../../../shared';
import { isMode, isSearchDepth, MODE_LABEL, MODES, SEARCH_DEPTHS } from '../../../shared';
import type { AgentRequest } from '../../agent';
import {
  RESEARCH_BUDGET_LIMITS,
  type ResearchBudgets,
} from '../../agent/research/research-budgets';
import type { PonderCore } from '../../app';
import { formatAppError } from '../../errors';
import type { CliCommand, CliIO } from '../cli-command';
import { CORE_FLAG_OPTIONS, CORE_FLAGS_USAGE, coreFlagsFrom } from '../common-flags';
import { formatSources } from '../print-sources';
import { terminalSafe } from '../terminal-text';
import { EXIT_USAGE, UsageError, usageErrorFromParseArgs } from '../usage-error';

const USAGE = `Usage: ponder ask [options] "question"

Asks the model and streams the answer: in reasoning and search modes the working out first (dimmed
on a terminal), then the answer. The question and answer are saved in the conversation history.

  --mode MODE              chat (Fast Chat, default), reasoning (Deep Reasoning), search, or auto
                           (chosen from the question; the choice and why are printed first)
  --depth DEPTH            for search: quick (one search, default) or deep (plan, search, analyse,
                           search again, conclude; its steps are printed dimmed)
  --temperature N          sampling temperature, 0 for the most likely words (default 0.7 chat, 0.6 otherwise)
  --seed N                 sampling seed, for repeatable answers
  --max-tokens N           longest answer in tokens (default 1024)
  --conversation ID        continue a saved conversation (see \`ponder history\`)
  --no-history             do not save this question and answer
  --json                   print one JSON event per line instead of text
  --show-passages          in search mode, print under each source the passages the model was given

Deep Search's budgets for this question (with --depth deep, or --mode auto when it picks deep;
each defaults to the setting research.*, else the value shown):
  --rounds N               plan-search-analyse rounds (1-10, default 3)
  --sub-questions N        searches per round (1-8, default 3)
  --max-pages N            distinct sources kept across rounds (1-50, default 12)
  --research-tokens N      model tokens spent on plans and analyses (64-1000000, default 16000)
  --time-limit SEC         seconds before it concludes with what it has (1-3600, default 120)
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
        depth: { type: 'string' },
        temperature: { type: 'string' },
        seed: { type: 'string' },
        'max-tokens': { type: 'string' },
        conversation: { type: 'string' },
        'no-history': { type: 'boolean' },
        json: { type: 'boolean' },
        'show-passages': { type: 'boolean' },
        rounds: { type: 'string' },
        'sub-questions': { type: 'string' },
        'max-pages': { type: 'string' },
        'research-tokens': { type: 'string' },
        'time-limit': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw usageErrorFromParseArgs(error, 'ask');
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
    throw new UsageError(
      `--${name} must be ${kind} from ${check.min} to ${check.max}, not "${value}".`,
    );
  }
  return parsed;
}

/** The Deep Search budget flags given, as a request's `research`; undefined when none is. */
function parseBudgets(values: Record<string, unknown>): Partial<ResearchBudgets> | undefined {
  const flag = (name: string, key: keyof ResearchBudgets, scale = 1) => {
    const [min, max] = RESEARCH_BUDGET_LIMITS[key];
    const value = values[name];
    const parsed = numberFlag(name, typeof value === 'string' ? value : undefined, {
      integer: true,
      min: Math.ceil(min / scale),
      max: Math.floor(max / scale),
    });
    return parsed === undefined ? {} : { [key]: parsed * scale };
  };
  const budgets: Partial<ResearchBudgets> = {
    ...flag('rounds', 'rounds'),
    ...flag('sub-questions', 'subQuestionsPerRound'),
    ...flag('max-pages', 'pages'),
    ...flag('research-tokens', 'tokens'),
    ...flag('time-limit', 'wallMs', 1000),
  };
  return Object.keys(budgets).length > 0 ? budgets : undefined;
}

function parseMode(value: string | undefined): Mode {
  // Auto starts from chat; the agent then picks the mode from the question.
  if (value === undefined || value === 'auto') return 'chat';
  if (isMode(value)) return value;
  throw new UsageError(`--mode must be one of ${[...MODES, 'auto'].join(', ')}, not "${value}".`);
}

function parseDepth(value: string | undefined): SearchDepth | undefined {
  if (value === undefined || isSearchDepth(value)) return value;
  throw new UsageError(`--depth must be one of ${SEARCH_DEPTHS.join(', ')}, not "${value}".`);
}

/** Writes the answer as a person reads it: sections labelled, working out dimmed on a terminal. */
class TerminalAnswer {
  private section: 'reasoning' | 'solution' | 'text' | undefined;
  private readonly color: boolean;
  private sources: Source[] = [];
  private conversationId: string | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly showPassages = false,
  ) {
    const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
    this.color = tty && !io.env.NO_COLOR;
  }

  write(event: AnswerEvent): void {
    switch (event.type) {
      case 'reasoning':
      case 'solution':
      case 'text':
        this.enter(event.type);
        // The model's words are printed, never obeyed: an ESC sequence in them shows as text.
        this.io.stdout.write(
          event.type === 'reasoning'
            ? this.dim(terminalSafe(event.text))
            : terminalSafe(event.text),
        );
        break;
      case 'conversation':
        this.conversationId = event.id;
        break;
      case 'search-started':
        this.note(
          `Searching ${event.provider} for "${terminalSafe(event.query, { oneLine: true })}"…`,
        );
        break;
      case 'search-results':
        this.note(`${event.count} results from ${event.provider} in ${event.ms} ms.`);
        break;
      case 'notice':
        this.note(terminalSafe(event.text, { oneLine: true }));
        break;
      case 'step':
        // Deep Search's timeline and Auto's choice, dimmed like the other progress lines.
        this.note(terminalSafe(event.step.text, { oneLine: true }));
        if (event.step.known) {
          this.note(`  learned: ${terminalSafe(event.step.known, { oneLine: true })}`);
        }
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
      const dim = (text: string) => this.dim(text);
      this.io.stdout.write(
        `\nSources:\n${formatSources(this.sources, { passages: this.showPassages, dim })}`,
      );
    }
    const stopped = stats.stopReason === 'cancelled' ? ' · cancelled' : '';
    const limit = stats.stopReason === 'max-tokens' ? ' · stopped at the token limit' : '';
    this.note(
      `${MODE_LABEL[stats.mode]} (${stats.adapter}) · ${stats.completionTokens} tokens · ` +
        `${stats.tokensPerSecond} tokens/s · first token ${Math.round(stats.timeToFirstTokenMs)} ms${stopped}${limit}`,
    );
    if (this.conversationId) {
      this.note(
        `Conversation ${this.conversationId} · continue it with --conversation ${this.conversationId}`,
      );
    }
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
      return EXIT_USAGE;
    }
    const mode = parseMode(values.mode);
    const depth = parseDepth(values.depth);
    const research = parseBudgets(values);
    if (research && depth !== 'deep' && values.mode !== 'auto') {
      throw new UsageError(
        `${Object.keys(research).length === 1 ? 'This budget applies' : 'These budgets apply'} to Deep Search only: add --depth deep (with --mode search).`,
      );
    }
    const temperature = numberFlag('temperature', values.temperature, { min: 0, max: 2 });
    const seed = numberFlag('seed', values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 });
    const maxTokens = numberFlag('max-tokens', values['max-tokens'], {
      integer: true,
      min: 1,
      max: 1_000_000,
    });
    const flags = coreFlagsFrom(values);
    // The model process starts first: loading llama.cpp there overlaps with the loading here.
    const inProcess =
      io.env.PONDER_MODEL_PROCESS === 'inline' ||
      flags.engine === 'remote' ||
      flags.engineUrl !== undefined;
    const early = inProcess
      ? undefined
      : await import('../../model-host/fork-model-host').then(
          ({ forkModelHost, prestartModelHost }) => prestartModelHost(forkModelHost()),
        );
    let core: PonderCore;
    try {
      // Loaded only now: a typo in an option is answered before the model and search code loads.
      const [{ createPonderCore }, { nodeEngineFactory }, { resolveConfig, noModelError }] =
        await Promise.all([
          import('../../app'),
          import('../../model-host'),
          import('../../config'),
        ]);
      // Checked before the database opens: a question that cannot be answered leaves nothing behind.
      const resolved = resolveConfig(flags, io.env);
      // The remote engine needs no model file here: the server has the model.
      if (resolved.engine.kind !== 'remote' && !resolved.modelPath) throw noModelError();
      core = await createPonderCore({
        flags,
        env: io.env,
        memory: !values['no-history'],
        onCorruptDatabase: values.recover ? 'recover' : 'fail',
        preload: true,
        // The model runs in a child process, so a native crash in llama.cpp ends only that process.
        // Once the answer is saved the command ends: the model process is stopped, not asked to
        // free its memory first (the system frees it either way, a second sooner).
        engineFactory: nodeEngineFactory(
          { disposeTimeoutMs: 0, ...(early ? { spawn: early.spawn } : {}) },
          io.env,
        ),
      });
    } catch (error) {
      early?.release();
      throw error;
    }
    const releaseInterrupts = holdInterrupts();
    try {
      for (const notice of (await core.health()).notices ?? []) {
        io.stderr.write(`ponder ask: ${terminalSafe(notice, { oneLine: true })}\n`);
      }
      const request: AgentRequest = {
        mode,
        text: question,
        signal: io.signal,
        ...(temperature === undefined ? {} : { temperature }),
        ...(seed === undefined ? {} : { seed }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(values.conversation ? { conversationId: values.conversation } : {}),
        ...(values.mode === 'auto' ? { auto: true } : {}),
        ...(depth ? { depth } : {}),
        ...(research ? { research } : {}),
      };
      const terminal = values.json
        ? undefined
        : new TerminalAnswer(io, values['show-passages'] === true);
      let exitCode = 1;
      for await (const event of core.ask(request)) {
        if (terminal) terminal.write(event);
        else io.stdout.write(`${JSON.stringify(event)}\n`);
        if (event.type === 'done') {
          exitCode = event.stats.stopReason === 'cancelled' ? EXIT_CANCELLED : 0;
        } else if (event.type === 'error') {
          exitCode = event.error.code === 'cancelled' ? EXIT_CANCELLED : 1;
          if (terminal) {
            const line = terminalSafe(formatAppError(event.error), { oneLine: true });
            io.stderr.write(`ponder ask: ${line}\n`);
          }
        }
      }
      return exitCode;
    } finally {
      early?.release();
      await core.dispose();
      releaseInterrupts();
    }
  },
};
