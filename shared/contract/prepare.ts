// Preparing a host: a server whose SSH works but which is not a hypervisor yet (libvirt missing,
// stopped, or refusing this user) gets the guide's checklist with evidence, and steps to apply
// one by one or all at once; the same steps as an Ansible playbook.
import type { Check, Family, InitSystem, SudoMode } from '../prepare';

export type { Check, CheckState, StepId } from '../prepare';

export interface PreparedCommand {
  /** The command exactly as it runs on the host (with sudo when the user is not root), quoted. */
  line: string;
  /** What goes to its standard input, when something does (never the sudo password). */
  stdin?: string;
}

export interface PrepareStep {
  id: import('../prepare').StepId;
  title: string;
  commands: PreparedCommand[];
}

export interface PrepareChecklist {
  hostId: string;
  user: string;
  os: string;
  family: Family;
  init: InitSystem;
  sudo: SudoMode;
  checks: Check[];
  steps: PrepareStep[];
  libvirtVersion?: string;
  /** libvirt answers this user: the host is a hypervisor (the fleet lists it). */
  hypervisor: boolean;
}

export type PrepareStepOutcome = 'done' | 'unchanged' | 'failed' | 'skipped';

export interface PrepareResult {
  steps: Array<{ id: import('../prepare').StepId; title: string; outcome: PrepareStepOutcome; message?: string }>;
  /** A failed step's message, as the host said it. */
  error?: string;
  /** Nothing was left to do: the host was prepared already. */
  unchanged: boolean;
  /** The connection logs in with the installed key now (it was reconnected). */
  switchedToKey?: boolean;
  checklist: PrepareChecklist;
}

export interface PrepareMethods {
  'prepare.check': { params: { hostId: string }; result: PrepareChecklist };
  /** Apply the named steps (all planned ones when omitted), in the checklist's order. */
  'prepare.apply': { params: { hostId: string; steps?: string[] }; result: PrepareResult };
  'prepare.playbook': { params: { hostId: string }; result: { fileName: string; yaml: string } };
}

/** A running step's output, as it comes (apt's progress). */
export interface PrepareOutputEvent {
  type: 'prepare.output';
  hostId: string;
  step: import('../prepare').StepId;
  text: string;
}
