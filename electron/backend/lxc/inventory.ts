// The LXC-tools containers of one host as fleet rows, kept live by one cheap poll per host: one
// `lxc-ls -f` every 2 s (LXC has no event stream that works across the tools' control sockets
// without a helper; lxc-monitor needs a process per lxcpath and says nothing of addresses), and
// again right after every action. Hosts without the tools, or whose login may not run them as
// root, are asked once per connection and then left alone: no rows, no error in the fleet.
import type { LxcHostStatus, VmSummary } from '../../../shared/contract/index.js';
import { runsUnderTcg } from '../../../shared/domain-xml/arch.js';
import type { CommandSession } from '../exec/session.js';
import { LxcTools } from './tools.js';

const POLL_MS = 2000;

export class LxcInventory {
  readonly tools: LxcTools;
  vms: VmSummary[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private detected?: Promise<boolean>;
  private polling?: Promise<void>;
  private last = '';

  constructor(
    private readonly hostId: string,
    session: CommandSession,
    private readonly onChange: () => void,
  ) {
    this.tools = new LxcTools(session);
  }

  start(): void {
    this.stopped = false;
    this.detected ??= this.tools.detect().catch(() => false);
    void this.detected.then((present) => {
      if (present && this.tools.privileged && !this.stopped) void this.poll();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Whether the host can list containers (tools there and usable as root). */
  async usable(): Promise<boolean> {
    return (await (this.detected ?? Promise.resolve(false))) && this.tools.privileged;
  }

  /** List now (after an action), and go on polling. */
  refresh(): Promise<void> {
    return this.polling ?? this.poll();
  }

  private poll(): Promise<void> {
    clearTimeout(this.timer);
    this.polling = (async () => {
      try {
        const rows = await this.tools.list();
        const hostArch = this.tools.probe?.hostArch ?? 'x86_64';
        const vms = rows.map(
          (r): VmSummary => ({
            hostId: this.hostId,
            uuid: `lxc-tools:${r.name}`,
            name: r.name,
            driver: 'lxc-tools',
            state: r.state,
            arch: r.arch,
            autostart: r.autostart,
            lxc: { toolState: r.toolState, pid: r.pid, memUsedKiB: r.memUsedKiB, ipv4: r.ipv4, ipv6: r.ipv6, unprivileged: r.unprivileged, emulated: !!r.arch && runsUnderTcg(r.arch, hostArch) },
          }),
        );
        const json = JSON.stringify(vms);
        if (json !== this.last) {
          this.last = json;
          this.vms = vms;
          if (!this.stopped) this.onChange();
        }
      } catch {
        // A failed listing (a busy host, a dropped channel) keeps the last rows until the next poll.
      } finally {
        this.polling = undefined;
        if (!this.stopped) this.timer = setTimeout(() => void this.poll(), POLL_MS);
      }
    })();
    return this.polling;
  }

  async status(): Promise<LxcHostStatus> {
    await (this.detected ?? this.tools.detect());
    const p = this.tools.probe;
    const binfmt = await this.tools.binfmt();
    return {
      tools: !!p?.tools,
      privileged: this.tools.privileged,
      reason: p?.tools ? this.tools.reason : 'The LXC tools (package lxc) are not installed on this host',
      binfmt,
      templates: p?.templates ?? [],
      bridges: p?.bridges ?? [],
      hostArch: p?.hostArch,
    };
  }
}
