// A change made from the networks view: shown as a task (host, outcome, libvirt's message) and
// its error kept for the view to show where the user acted.
import type { Method, Params, Result } from '../../../shared/contract';
import { api } from '../../app/api';
import { useTasks } from '../../store/tasks';

/** Runs the request as a task; resolves to its value, or to the error message. */
export async function actFor<M extends Method>(title: string, method: M, params: Params<M>): Promise<{ error?: string; value?: Result<M> }> {
  const id = useTasks.getState().begin(title);
  const outcome = await api.call(method, params);
  const error = outcome.ok ? undefined : outcome.error.message;
  useTasks.getState().finish(id, error, { commands: outcome.commands });
  return outcome.ok ? { value: outcome.value } : { error };
}

/** Runs the request as a task; resolves to the error message, or undefined when it worked. */
export async function act<M extends Method>(title: string, method: M, params: Params<M>): Promise<string | undefined> {
  return (await actFor(title, method, params)).error;
}
