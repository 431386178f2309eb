import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  RateLimitError,
} from '@anthropic-ai/sdk';

/**
 * One Messages API call (`client.messages.create`), never retried and never longer
 * than the caller's signal allows, with every way it can fail sorted into the reasons
 * assist falls back for. Refusals: https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons
 * (`stop_reason: "refusal"`); truncation (`max_tokens`) leaves structured output incomplete
 * (https://platform.claude.com/docs/en/build-with-claude/structured-outputs).
 */
export type CallFailure = 'timeout' | 'rate_limited' | 'unavailable' | 'refused' | 'invalid_output' | 'failed';

export type CallResult =
  | { ok: true; message: Anthropic.Message }
  | { ok: false; reason: CallFailure; detail: string; requestId: string | null };

export async function callClaude(
  claude: Anthropic,
  params: Anthropic.MessageCreateParamsNonStreaming,
  signal: AbortSignal,
): Promise<CallResult> {
  let message: Anthropic.Message;
  try {
    message = await claude.messages.create(params, { signal, maxRetries: 0 });
  } catch (err) {
    return { ok: false, ...failure(err) };
  }
  if (message.stop_reason === 'refusal')
    return {
      ok: false,
      reason: 'refused',
      detail: `refusal${message.stop_details?.category ? ` (${message.stop_details.category})` : ''}`,
      requestId: null,
    };
  if (message.stop_reason === 'max_tokens' || message.stop_reason === 'model_context_window_exceeded')
    return { ok: false, reason: 'invalid_output', detail: `stopped: ${message.stop_reason}`, requestId: null };
  if (!Array.isArray(message.content))
    return { ok: false, reason: 'invalid_output', detail: 'no content', requestId: null };
  return { ok: true, message };
}

function failure(err: unknown): { reason: CallFailure; detail: string; requestId: string | null } {
  if (err instanceof APIUserAbortError || err instanceof APIConnectionTimeoutError)
    return { reason: 'timeout', detail: 'no answer within the time bound', requestId: null };
  if (err instanceof RateLimitError)
    return { reason: 'rate_limited', detail: '429 rate_limit_error', requestId: err.requestID ?? null };
  if (err instanceof APIError && typeof err.status === 'number') {
    const requestId = err.requestID ?? null;
    if (err.status >= 500)
      return { reason: 'unavailable', detail: `${err.status} ${err.type ?? ''}`.trim(), requestId };
    return { reason: 'failed', detail: `${err.status} ${err.type ?? ''}`.trim(), requestId };
  }
  if (err instanceof APIConnectionError) return { reason: 'unavailable', detail: 'connection failed', requestId: null };
  // A 200 whose body is not a Message (the SDK's JSON parse fails).
  return { reason: 'invalid_output', detail: err instanceof Error ? err.name : 'unreadable answer', requestId: null };
}

/** The text of the answer's text blocks. */
export function textOf(message: Anthropic.Message): string {
  return message.content
    .filter((b): b is Anthropic.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('');
}

/**
 * Runs `work` with a hard bound: after `ms` the signal aborts the request in flight and
 * `late()` is returned at once, whatever `work` is still waiting on (a database, the
 * network). `work` failing gives `failed(err)`; this never rejects.
 */
export async function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  late: () => T,
  failed: (err: unknown) => T,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(late());
    }, ms);
  });
  const running = Promise.resolve()
    .then(() => work(controller.signal))
    .catch((err: unknown) => failed(err));
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
