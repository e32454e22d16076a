// The ssh configuration VirtDeck reads: ~/.ssh/config then /etc/ssh/ssh_config (with what they
// include), or one file given explicitly, which like `ssh -F` replaces both.
import { hostAliases, type ConfigEnv } from './config.js';
import { configSources, defaultConfigEnv, resolveSettings, type ConfigSources, type SshSettings, type Target } from './resolve.js';

export class SshConfigSource {
  constructor(
    readonly explicitFile?: string,
    readonly env: ConfigEnv = defaultConfigEnv(),
  ) {}

  get sources(): ConfigSources {
    return configSources(this.explicitFile, this.env);
  }

  settings(target: Target): SshSettings {
    return resolveSettings(target, this.sources, this.env);
  }

  /** Concrete Host aliases: what the add-connection dialog suggests. */
  aliases(): string[] {
    const { userConfig, systemConfig } = this.sources;
    const files = [{ path: userConfig, user: true }];
    if (systemConfig) files.push({ path: systemConfig, user: false });
    return hostAliases(files, this.env);
  }
}
