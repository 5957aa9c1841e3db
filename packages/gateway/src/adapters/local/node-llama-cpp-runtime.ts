import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The parts of node-llama-cpp this service uses, typed structurally: the package lives in the
 * optional, separately installed packages/local-llm, so its types are not available to tsc here.
 */
export interface LlamaRuntime {
  getLlama(options: {
    gpu?: false | 'auto';
    build?: 'never';
    progressLogs?: boolean;
    logLevel?: string;
  }): Promise<Llama>;
  LlamaChatSession: new (options: {
    contextSequence: LlamaSequence;
    systemPrompt?: string;
  }) => LlamaChatSession;
}

export interface Llama {
  loadModel(options: { modelPath: string }): Promise<LlamaModel>;
  createGrammarForJsonSchema(schema: unknown): Promise<LlamaGrammar>;
  dispose(): Promise<void>;
}

export interface LlamaModel {
  createContext(options: { contextSize?: number; sequences?: number }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

export interface LlamaContext {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}

interface LlamaSequence {
  tokenMeter: { usedInputTokens: number; usedOutputTokens: number };
  dispose(): void;
}

export type LlamaGrammar = object;

export type ChatHistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: string[] };

interface LlamaChatSession {
  setChatHistory(history: ChatHistoryItem[]): void;
  promptWithMeta(
    prompt: string,
    options: {
      grammar?: LlamaGrammar;
      maxTokens?: number;
      temperature?: number;
      signal?: AbortSignal;
      stopOnAbortSignal?: boolean;
    },
  ): Promise<{ responseText: string; stopReason: string }>;
  dispose(): void;
}

/** packages/local-llm, a standalone npm project outside the root workspaces. */
export const defaultRuntimeDirectory = fileURLToPath(new URL('../../../../local-llm/', import.meta.url));

export const notInstalledReason = 'not installed (run npm run setup:local-llm)';

function entryOf(directory: string): string {
  return join(directory, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');
}

/** Cheap synchronous check used at boot, so the status route can say why the provider is off. */
export function isRuntimeInstalled(directory = defaultRuntimeDirectory): boolean {
  return existsSync(entryOf(directory));
}

/** Loads node-llama-cpp from packages/local-llm; only called once the first local request arrives. */
export async function loadRuntime(directory = defaultRuntimeDirectory): Promise<LlamaRuntime> {
  return (await import(pathToFileURL(entryOf(directory)).href)) as LlamaRuntime;
}
