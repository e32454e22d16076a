// Preparing a host for real: probe it (one fixed script as the login user), build the checklist
// (shared/prepare), and apply its steps in order. Each step is planned again from a fresh probe
// right before it runs, so a step whose work is already done runs nothing (idempotent), and a
// step that fails stops the run with the host's own words. Root commands go through sudo when the
// user is not root; a sudo that wants a password gets it on stdin (`sudo -k -S`: asked for on
// every command, so the password never reaches a command's own stdin), typed into VirtDeck's
// prompt once per run and never stored.
import {
  buildChecklist,
  DEFAULT_NETWORK_TEMPLATE,
  LIBVIRT_OBJECTS_SCRIPT,
  parseLibvirtObjects,
  parseProbe,
  parseSections,
  PREPARE_PROBE_SCRIPT,
  type HostFacts,
  type PlannedCommand,
  type PlanInput,
  type Step,
  STEP_ORDER,
  type StepId,
} from '../../../shared/prepare/index.js';
import type { PrepareChecklist, PrepareResult, PrepareStep } from '../../../shared/contract/index.js';
import { commandLine } from '../exec/command-log.js';
import type { CommandSession } from '../exec/session.js';
import { UserError } from '../errors.js';

export interface PrepareHost {
  hostId: string;
  label: string;
  session: CommandSession;
  /** The public key the connection offers (its first IdentityFile with a .pub), if any. */
  publicKey?: string;
  /** Ask the person for the sudo password (never stored); null when they cancel. */
  askSudoPassword(user: string): Promise<string | null>;
  /** A step's output as it comes. */
  output(step: StepId, text: string): void;
}

export async function probeHost(session: CommandSession): Promise<HostFacts> {
  const r = await session.exec(['sh', '-c', PREPARE_PROBE_SCRIPT]);
  if (!r.stdout.includes('@end')) throw new UserError('ssh', `The host's probe did not finish: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseProbe(r.stdout);
}

async function planInput(host: PrepareHost, facts: HostFacts): Promise<PlanInput> {
  const net = await host.session.exec(['cat', DEFAULT_NETWORK_TEMPLATE]).catch(() => undefined);
  return { publicKey: host.publicKey, keyWanted: true, defaultNetworkXml: net?.code === 0 ? net.stdout : undefined };
}

/** `argv` as it runs: through sudo unless the user is root. */
export function rootArgv(cmd: PlannedCommand, sudo: HostFacts['sudo']): string[] {
  if (!cmd.root || sudo === 'root') return cmd.argv;
  if (sudo === 'nopasswd') return ['sudo', '-n', '--', ...cmd.argv];
  return ['sudo', '-k', '-S', '-p', '', '--', ...cmd.argv];
}

function shownSteps(steps: Step[], facts: HostFacts): PrepareStep[] {
  return steps.map((s) => ({
    id: s.id,
    title: s.title,
    commands: s.commands.map((c) => ({ line: commandLine(rootArgv(c, facts.sudo)), ...(c.stdinLabel ? { stdin: c.stdinLabel } : {}) })),
  }));
}

export async function checkHost(host: PrepareHost): Promise<PrepareChecklist> {
  const facts = await probeHost(host.session);
  return checklistOf(host, facts, buildChecklist(facts, await planInput(host, facts)));
}

function checklistOf(host: PrepareHost, facts: HostFacts, list: ReturnType<typeof buildChecklist>): PrepareChecklist {
  return {
    hostId: host.hostId,
    user: facts.user.name,
    os: facts.os.prettyName,
    family: facts.family,
    init: facts.init,
    sudo: facts.sudo,
    checks: list.checks,
    steps: shownSteps(list.steps, facts),
    hypervisor: facts.libvirt.reachable,
    ...(facts.libvirtVersion ? { libvirtVersion: facts.libvirtVersion } : {}),
  };
}

/** Runs one command, its output streamed; rejects with the host's message when it fails. */
async function runCommand(host: PrepareHost, step: StepId, cmd: PlannedCommand, facts: HostFacts, password: () => Promise<string>): Promise<void> {
  const argv = rootArgv(cmd, facts.sudo);
  const secret = cmd.root && facts.sudo === 'password' ? `${await password()}\n` : '';
  const stream = await host.session.execStream(argv);
  let tail = '';
  const take = (d: Buffer) => {
    const text = d.toString('utf8');
    tail = (tail + text).slice(-4000);
    host.output(step, text);
  };
  stream.stdout.on('data', take);
  stream.stderr.on('data', take);
  stream.stdin.end(secret + (cmd.stdin ?? ''));
  const r = await stream.done;
  if (r.code === 0) return;
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
  // apt's and virsh's own errors ("E: …", "error: …") say it best; else the last lines.
  const errors = lines.filter((l) => /^(E:|error:|sudo:|usermod:|dnf:|Error)/i.test(l));
  const said = (errors.length ? errors : lines.slice(-3)).join(' ');
  throw new UserError('error', `${step}: ${commandLine(argv)} failed (exit ${r.code ?? r.signal ?? '?'}): ${said || 'no output'}`);
}

/** The step planned now, from a fresh probe (libvirt's objects read as root where libvirt does
 *  not answer the user yet). */
async function planNow(host: PrepareHost, id: StepId, password: () => Promise<string>): Promise<{ step?: Step; facts: HostFacts }> {
  const facts = await probeHost(host.session);
  if ((id === 'network' || id === 'pool') && !facts.libvirt.reachable) {
    const argv = rootArgv({ argv: ['sh', '-c', LIBVIRT_OBJECTS_SCRIPT], root: true }, facts.sudo);
    const secret = facts.sudo === 'password' ? `${await password()}\n` : undefined;
    const r = await host.session.exec(argv, secret ? { stdin: secret } : {});
    const objects = parseLibvirtObjects(parseSections(r.stdout));
    if (!objects.reachable) throw new UserError('libvirt', `${id}: libvirt does not answer even as root: ${objects.message}`);
    facts.libvirt = objects;
  }
  const list = buildChecklist(facts, await planInput(host, facts));
  return { step: list.steps.find((s) => s.id === id), facts };
}

/** Apply `wanted` (or every planned step) in the checklist's order. */
export async function applySteps(host: PrepareHost, wanted?: readonly string[]): Promise<Omit<PrepareResult, 'checklist'> & { keyInstalled: boolean }> {
  const first = await probeHost(host.session);
  const planned = buildChecklist(first, await planInput(host, first)).steps.map((s) => s.id);
  const order = STEP_ORDER;
  const ids = order.filter((id) => (wanted ? wanted.includes(id) : planned.includes(id)));
  for (const w of wanted ?? []) if (!order.includes(w as StepId)) throw new UserError('invalid-input', `No step "${w}"; steps: ${order.join(', ')}`);
  let typed: string | undefined;
  const password = async (): Promise<string> => {
    if (typed !== undefined) return typed;
    const answer = await host.askSudoPassword(first.user.name);
    if (answer === null) throw new UserError('forbidden', `Cancelled: the sudo password of ${first.user.name} on ${host.label} is needed for this step`);
    return (typed = answer);
  };
  const steps: PrepareResult['steps'] = [];
  let keyInstalled = false;
  for (const id of ids) {
    const { step, facts } = await planNow(host, id, password);
    if (!step) {
      steps.push({ id, title: id, outcome: 'unchanged', message: 'already done' });
      continue;
    }
    if (step.commands.some((c) => c.root) && facts.sudo === 'none') {
      const error = `${step.title}: ${facts.user.name} is not root and has no sudo on ${host.label}`;
      steps.push({ id, title: step.title, outcome: 'failed', message: error });
      return { steps, error, unchanged: false, keyInstalled };
    }
    try {
      for (const cmd of step.commands) {
        host.output(id, `$ ${commandLine(rootArgv(cmd, facts.sudo))}\n`);
        await runCommand(host, id, cmd, facts, password);
      }
    } catch (err) {
      const error = (err as Error).message;
      if (err instanceof UserError && err.code === 'forbidden') typed = undefined;
      steps.push({ id, title: step.title, outcome: 'failed', message: error });
      return { steps, error, unchanged: false, keyInstalled };
    }
    if (id === 'ssh-key') keyInstalled = true;
    steps.push({ id, title: step.title, outcome: 'done' });
  }
  return { steps, unchanged: steps.every((s) => s.outcome === 'unchanged'), keyInstalled };
}
