// The one way into the backend, for both transports (the Electron utility process and browser
// mode's WebSocket): check the method name, guard the parameters, run the method's handler and
// turn whatever it throws into the contract's ApiError. A call never throws.
import { checkParams, isMethod, ParamError, type ApiError, type Method, type Outcome, type Params, type Result } from '../../shared/contract/index.js';
import { ConsoleError } from './consoles/console-manager.js';
import { UserError } from './errors.js';
import { recordCommands } from './exec/command-log.js';
import { RemoteCommandError } from './exec/session.js';
import { DomainEditError } from './libvirt/domain-editor.js';

export type Handler<M extends Method> = (params: Params<M>) => Promise<Result<M>>;

/** A typed set of handlers, one for each method it serves. */
export type Service<K extends Method> = { readonly [M in K]: Handler<M> };

/** A handler for every method: a method without one does not compile. */
export type Handlers = Service<Method>;

/** Answer one call as it came off the wire: nothing about it is trusted yet. */
export type Dispatch = (method: unknown, params: unknown) => Promise<Outcome<unknown>>;

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (method, params) => {
    if (!isMethod(method)) return { ok: false, error: { code: 'invalid-input', message: `Unknown method: ${String(method)}` } };
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    // What the call ran on the hosts goes back with its outcome, for its task to show.
    const r = await recordCommands(() => handler(guardParams(method, params)));
    const commands = r.commands.length ? { commands: r.commands } : {};
    return 'error' in r ? { ok: false, error: toApiError(r.error), ...commands } : { ok: true, value: r.value, ...commands };
  };
}

/** The parameters as the contract types them (shared/contract/params.ts): fields of the wrong
 *  type are refused here, for both transports, before a handler reads them; fields the contract
 *  does not name are dropped. None at all is an empty object. */
export function guardParams<M extends Method>(method: M, params: unknown): Params<M> {
  try {
    return checkParams(method, params);
  } catch (err) {
    if (err instanceof ParamError) throw new UserError('invalid-input', err.message);
    throw err;
  }
}

/** The code of an error meant for the user; 'libvirt' for what virsh said; else 'error'. */
export function toApiError(err: unknown): ApiError {
  const code =
    err instanceof UserError || err instanceof DomainEditError || err instanceof ConsoleError ? err.code : err instanceof RemoteCommandError ? 'libvirt' : 'error';
  return { code, message: err instanceof Error ? err.message : String(err) };
}
