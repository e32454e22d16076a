// What the services work with: the host registry, the open prompts, the consoles and the events.
import type { BackendEvent } from '../../../shared/contract/index.js';
import type { ConsoleManager } from '../consoles/console-manager.js';
import type { HostRegistry } from '../hosts/registry.js';
import type { SshConfigSource } from '../ssh/openssh/source.js';
import type { PromptBroker } from '../ssh/prompts.js';
import type { Transfers } from '../transfers/transfers.js';

export interface ServiceContext {
  readonly registry: HostRegistry;
  readonly prompts: PromptBroker;
  readonly consoles: ConsoleManager;
  readonly transfers: Transfers;
  /** Transfers may take paths on this machine (the Electron app, from its native dialogs). */
  readonly localFiles: boolean;
  /** The OpenSSH client config: its Host aliases are the add-connection dialog's suggestions. */
  readonly sshConfig: SshConfigSource;
  emit(event: BackendEvent): void;
}
