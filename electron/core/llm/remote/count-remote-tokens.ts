/** About four characters a token for English with Qwen's vocabulary; used only when the server cannot count. */
const CHARS_PER_TOKEN = 4;

/**
 * Tokens this text takes, counted by the server's own tokenizer: POST /tokenize exists on both
 * llama-server (`content` → `tokens`) and vLLM (`prompt` → `count`). A server without it gets an
 * estimate, which is enough for fitting history into the context.
 */
export async function countRemoteTokens(
  base: string,
  headers: Record<string, string>,
  model: string | undefined,
  text: string,
): Promise<number> {
  try {
    const response = await fetch(`${base}/tokenize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        content: text,
        prompt: text,
        add_special: false,
        ...(model ? { model } : {}),
      }),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    if (response.ok) {
      const body = (await response.json()) as { tokens?: unknown[]; count?: number };
      if (typeof body.count === 'number') return body.count;
      if (Array.isArray(body.tokens)) return body.tokens.length;
    }
  } catch {
    // Fall through to the estimate: counting must never fail an answer.
  }
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
