/**
 * Model analyzers (FEATURES E1–E2): one interface over Anthropic's Messages API (the official SDK), OpenAI chat
 * completions (OpenAI, any OpenAI-compatible server, Hugging Face's OpenAI-compatible Messages API) and Ollama's
 * /api/chat. Every failure — timeout, HTTP error, an answer that is not the JSON asked for, a prompt over budget
 * — is an outcome, never an exception, so the caller can fail closed (people review) with the reason.
 */
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { levelForScore, type RiskIssue, type RiskLevel } from '../risk/rule-analyzer.ts';
import type { AiProvider } from './ai-config.entity.ts';
import { estimateTokens, renderPrompt, SYSTEM_INSTRUCTIONS, type PromptFacts } from './prompt.ts';

/** What an analyzer needs of a configuration, with the key decrypted. */
export interface AnalyzerSettings {
  aiProvider: AiProvider;
  model: string;
  endpoint: string | null;
  apiKey: string | null;
  timeoutMs: number;
  maxPromptTokens: number;
  maxCompletionTokens: number;
  systemPromptTemplate: string | null;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
}

export type AiOutcome =
  | { ok: true; score: number; level: RiskLevel; issues: RiskIssue[]; model: string; latencyMs: number; usage: Usage }
  | { ok: false; reason: string; model: string; latencyMs: number; usage: Usage };

export interface RiskAnalyzer {
  analyze(facts: PromptFacts): Promise<AiOutcome>;
}

/** The answer asked for in SYSTEM_INSTRUCTIONS; anything else is a malformed answer. */
const Answer = z.object({
  score: z.number().int().min(0).max(100),
  level: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  issues: z
    .array(
      z.object({
        type: z.string().trim().min(1).max(100),
        severity: z.enum(['INFO', 'WARNING', 'CRITICAL']),
        message: z.string().trim().min(1).max(2000),
        suggestion: z.string().max(2000).nullish(),
      }),
    )
    .max(50),
});

const PUBLIC_ENDPOINTS: Partial<Record<AiProvider, string>> = { ANTHROPIC: 'https://api.anthropic.com', OPENAI: 'https://api.openai.com/v1' };

/** A model's reply (text and token counts), or why there is none. */
type Reply = { text: string; usage: Usage } | { error: string; usage?: Usage };

export function analyzerFor(settings: AnalyzerSettings): RiskAnalyzer {
  const call = settings.aiProvider === 'ANTHROPIC' ? callAnthropic : settings.aiProvider === 'OLLAMA' ? callOllama : callChatCompletions;
  return {
    async analyze(facts) {
      const started = performance.now();
      const prompt = renderPrompt(settings.systemPromptTemplate, facts);
      const noUsage: Usage = { inputTokens: null, outputTokens: null };
      const elapsed = () => Math.round(performance.now() - started);
      const budget = estimateTokens(SYSTEM_INSTRUCTIONS) + estimateTokens(prompt);
      if (budget > settings.maxPromptTokens) {
        return { ok: false, reason: `the prompt (about ${budget} tokens) exceeds maxPromptTokens ${settings.maxPromptTokens}`, model: settings.model, latencyMs: 0, usage: noUsage };
      }
      let reply: Reply;
      try {
        reply = await call(settings, prompt);
      } catch (error) {
        reply = { error: describeError(error, settings.timeoutMs) };
      }
      const usage = reply.usage ?? noUsage;
      if ('error' in reply) return { ok: false, reason: redact(reply.error, settings.apiKey), model: settings.model, latencyMs: elapsed(), usage };
      const parsed = parseAnswer(reply.text);
      if (typeof parsed === 'string') return { ok: false, reason: parsed, model: settings.model, latencyMs: elapsed(), usage };
      return { ok: true, ...parsed, model: settings.model, latencyMs: elapsed(), usage };
    },
  };
}

/** The model's JSON (optionally in one ``` fence), validated; a string says why it is not usable. */
export function parseAnswer(text: string): { score: number; level: RiskLevel; issues: RiskIssue[] } | string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  let json: unknown;
  try {
    json = JSON.parse(fenced ? fenced[1]! : text);
  } catch {
    return 'the model did not answer with JSON';
  }
  const answer = Answer.safeParse(json);
  if (!answer.success) return `the model's answer has the wrong shape (${answer.error.issues[0]?.path.join('.') || 'root'}: ${answer.error.issues[0]?.message})`;
  const { score, level, issues } = answer.data;
  // The level is at least what the score means, so a model cannot understate its own score.
  const atLeast = levelForScore(score);
  return {
    score,
    level: LEVEL_ORDER.indexOf(level) >= LEVEL_ORDER.indexOf(atLeast) ? level : atLeast,
    issues: issues.map((i) => ({ code: `AI_${i.type.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`, severity: i.severity, message: i.message, suggestion: i.suggestion ?? null })),
  };
}

const LEVEL_ORDER: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

async function callAnthropic(settings: AnalyzerSettings, prompt: string): Promise<Reply> {
  // Every option explicit: the SDK would otherwise read ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY from the environment.
  const client = new Anthropic({ apiKey: settings.apiKey ?? '', baseURL: settings.endpoint ?? PUBLIC_ENDPOINTS.ANTHROPIC!, timeout: settings.timeoutMs, maxRetries: 0, fetchOptions: { redirect: 'error' } });
  try {
    const message = await client.messages.create({
      model: settings.model,
      max_tokens: settings.maxCompletionTokens,
      system: SYSTEM_INSTRUCTIONS,
      messages: [{ role: 'user', content: prompt }],
    });
    const usage = { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    if (message.stop_reason === 'max_tokens') return { error: 'the answer was cut off at maxCompletionTokens', usage };
    return { text, usage };
  } catch (error) {
    if (error instanceof Anthropic.APIConnectionTimeoutError) return { error: `no answer within ${settings.timeoutMs} ms` };
    if (error instanceof Anthropic.APIError && error.status !== undefined) {
      const body = error.error as { error?: { type?: string; message?: string } } | undefined;
      return { error: `HTTP ${error.status}${body?.error?.type ? ` ${body.error.type}` : ''}: ${body?.error?.message ?? 'no message'}` };
    }
    throw error;
  }
}

const ChatCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullish() })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

async function callChatCompletions(settings: AnalyzerSettings, prompt: string): Promise<Reply> {
  const base = (settings.endpoint ?? PUBLIC_ENDPOINTS.OPENAI!).replace(/\/+$/, '');
  const openAi = settings.aiProvider === 'OPENAI';
  const body = await postJson(settings, `${base}/chat/completions`, settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}, {
    model: settings.model,
    messages: [
      { role: 'system', content: SYSTEM_INSTRUCTIONS },
      { role: 'user', content: prompt },
    ],
    temperature: 0,
    // OpenAI itself takes the newer name and JSON mode; compatible servers know max_tokens.
    ...(openAi ? { max_completion_tokens: settings.maxCompletionTokens, response_format: { type: 'json_object' } } : { max_tokens: settings.maxCompletionTokens }),
  });
  if ('error' in body) return body;
  const completion = ChatCompletion.safeParse(body.json);
  if (!completion.success) return { error: 'the service answered with something other than a chat completion' };
  const usage = { inputTokens: completion.data.usage?.prompt_tokens ?? null, outputTokens: completion.data.usage?.completion_tokens ?? null };
  const [choice] = completion.data.choices;
  if (choice!.finish_reason === 'length') return { error: 'the answer was cut off at maxCompletionTokens', usage };
  return { text: choice!.message.content ?? '', usage };
}

const OllamaChat = z.object({ message: z.object({ content: z.string() }), prompt_eval_count: z.number().nullish(), eval_count: z.number().nullish() });

async function callOllama(settings: AnalyzerSettings, prompt: string): Promise<Reply> {
  const base = settings.endpoint!.replace(/\/+$/, '');
  const body = await postJson(settings, `${base}/api/chat`, settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}, {
    model: settings.model,
    messages: [
      { role: 'system', content: SYSTEM_INSTRUCTIONS },
      { role: 'user', content: prompt },
    ],
    stream: false,
    format: 'json',
    options: { temperature: 0, num_predict: settings.maxCompletionTokens },
  });
  if ('error' in body) return body;
  const chat = OllamaChat.safeParse(body.json);
  if (!chat.success) return { error: 'the service answered with something other than an Ollama chat response' };
  return { text: chat.data.message.content, usage: { inputTokens: chat.data.prompt_eval_count ?? null, outputTokens: chat.data.eval_count ?? null } };
}

/** POSTs JSON with the configured timeout; an HTTP error becomes its status and the service's message. */
async function postJson(settings: AnalyzerSettings, url: string, headers: Record<string, string>, payload: unknown): Promise<{ json: unknown } | { error: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(settings.timeoutMs),
    redirect: 'error',
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    if (response.ok) return { error: 'the service did not answer with JSON' };
  }
  if (!response.ok) {
    const error = (json as { error?: unknown } | null)?.error;
    const message = typeof error === 'string' ? error : typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : 'no message';
    return { error: `HTTP ${response.status}: ${message}` };
  }
  return { json };
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `the service could not be reached (${cause?.code ?? cause?.message ?? error.message})`;
  }
  return 'the service could not be reached';
}

/** A reason to show and store: the key never appears in it, however the service echoed it; kept short. */
function redact(reason: string, apiKey: string | null): string {
  const clean = apiKey ? reason.split(apiKey).join('***') : reason;
  return clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
}
