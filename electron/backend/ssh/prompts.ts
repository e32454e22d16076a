// Questions for the person at the screen: a host key to accept, a passphrase or password to type.
// The backend waits for the answer; the renderer shows the prompt from a pushed event.
import { randomUUID } from 'node:crypto';
import type { BackendEvent, Prompt } from '../../../shared/contract/index.js';

export interface PromptAnswer {
  answers: string[];
  remember: boolean;
}

/** Unanswered prompts are withdrawn after this long, and the connection attempt fails. */
const PROMPT_TIMEOUT_MS = 5 * 60_000;

export class PromptBroker {
  private readonly open = new Map<string, { prompt: Prompt; resolve: (a: PromptAnswer | null) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly emit: (event: BackendEvent) => void) {}

  ask(question: Omit<Prompt, 'id'>): Promise<PromptAnswer | null> {
    const prompt: Prompt = { ...question, id: randomUUID() };
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(prompt.id, null), PROMPT_TIMEOUT_MS);
      this.open.set(prompt.id, { prompt, resolve, timer });
      this.emit({ type: 'prompt', prompt });
    });
  }

  answer(promptId: string, answers: string[] | null, remember: boolean): void {
    if (!this.open.has(promptId)) throw new Error('This prompt is no longer open');
    if (answers !== null && (!Array.isArray(answers) || answers.some((a) => typeof a !== 'string'))) throw new Error('Answers must be text');
    this.settle(promptId, answers === null ? null : { answers, remember });
  }

  /** Prompts still waiting (for a window that connects late). */
  pending(): Prompt[] {
    return [...this.open.values()].map((p) => p.prompt);
  }

  /** Withdraw the open prompts of one host (its connection attempt ended). */
  cancelHost(hostId: string): void {
    for (const [id, p] of this.open) if (p.prompt.hostId === hostId) this.settle(id, null);
  }

  private settle(promptId: string, answer: PromptAnswer | null): void {
    const p = this.open.get(promptId);
    if (!p) return;
    clearTimeout(p.timer);
    this.open.delete(promptId);
    p.resolve(answer);
    this.emit({ type: 'prompt.closed', promptId });
  }
}
