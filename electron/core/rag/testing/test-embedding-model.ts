import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64 } from './onnx-writer';

/**
 * Builds a small embedding model in transformers.js's folder format whose graph looks up one
 * vector per token (a Gather), so mean pooling gives a bag-of-words vector. Words in the same
 * synonym group share a vector, which lets a test tell cosine ranking apart from keyword ranking.
 */
export interface TestEmbeddingModelOptions {
  /** Words of the vocabulary (lower case); anything else becomes [UNK], a zero vector. */
  words: string[];
  /** Groups of words that mean the same thing: they get one shared vector. */
  synonyms?: string[][];
  /** Width of the vectors (default 64). */
  dim?: number;
  seed?: number;
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function tokenizerJson(vocab: Record<string, number>): unknown {
  const special = (token: string) => ({
    id: vocab[token],
    content: token,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specialRef = (token: string) => ({ id: token, ids: [vocab[token]], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': specialRef('[CLS]'), '[SEP]': specialRef('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** Writes the model folder (config, tokenizer, onnx/model.onnx and onnx/model_quantized.onnx). */
export async function buildTestEmbeddingModel(
  dir: string,
  options: TestEmbeddingModelOptions,
): Promise<string> {
  const dim = options.dim ?? 64;
  const random = mulberry32(options.seed ?? 1234);
  const vocab: Record<string, number> = {};
  for (const token of SPECIAL) vocab[token] = Object.keys(vocab).length;
  const allWords = [...options.words, ...(options.synonyms ?? []).flat()];
  for (const word of allWords.map((w) => w.toLowerCase())) {
    if (!(word in vocab)) vocab[word] = Object.keys(vocab).length;
  }
  const size = Object.keys(vocab).length;

  const groupOf = new Map<string, number>();
  (options.synonyms ?? []).forEach((group, g) => {
    for (const word of group) groupOf.set(word.toLowerCase(), g);
  });
  const groupVectors = new Map<number, Float32Array>();
  const randomVector = () => Float32Array.from({ length: dim }, () => gaussian(random));

  // Special tokens stay zero so [CLS], [SEP], padding and unknown words do not move the mean's direction.
  const table = new Float32Array(size * dim);
  for (const [word, id] of Object.entries(vocab)) {
    if ((SPECIAL as readonly string[]).includes(word)) continue;
    const group = groupOf.get(word);
    let vector: Float32Array;
    if (group === undefined) vector = randomVector();
    else {
      vector = groupVectors.get(group) ?? randomVector();
      groupVectors.set(group, vector);
    }
    table.set(vector, id * dim);
  }

  const model = encodeOnnxModel({
    name: 'bag_of_words',
    nodes: [{ op: 'Gather', inputs: ['embeddings', 'input_ids'], outputs: ['last_hidden_state'] }],
    initializers: [{ name: 'embeddings', dims: [size, dim], data: table }],
    inputs: [
      { name: 'input_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'attention_mask', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
      { name: 'token_type_ids', elemType: ONNX_INT64, shape: ['batch', 'sequence'] },
    ],
    outputs: [
      { name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch', 'sequence', dim] },
    ],
  });

  await mkdir(join(dir, 'onnx'), { recursive: true });
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: dim,
    vocab_size: size,
    max_position_embeddings: 512,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2));
  await writeFile(join(dir, 'onnx', 'model.onnx'), model);
  await writeFile(join(dir, 'onnx', 'model_quantized.onnx'), model);
  return dir;
}

/** Lower-case words of a text, as the test tokenizer splits them. */
export function wordsOf(...texts: string[]): string[] {
  return [
    ...new Set(
      texts
        .join(' ')
        .toLowerCase()
        .match(/[a-z0-9]+/g) ?? [],
    ),
  ];
}
