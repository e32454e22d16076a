import type { Method, Params, Result } from '../../shared/contract';
import { useTasks } from '../store/tasks';
import { connectApi } from './transport';

export const api = connectApi();

/** Run a request as a visible task: it shows in the task pane with its outcome, and failures
 *  carry libvirt's own message. Resolves to the result, or undefined when it failed. */
export async function runTask<M extends Method>(title: string, method: M, params: Params<M>): Promise<Result<M> | undefined> {
  const id = useTasks.getState().begin(title);
  const outcome = await api.call(method, params);
  useTasks.getState().finish(id, outcome.ok ? undefined : outcome.error.message, { commands: outcome.commands });
  return outcome.ok ? outcome.value : undefined;
}
