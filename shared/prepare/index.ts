// Preparing a server to be a KVM hypervisor: the probe and its facts, the checklist with its
// evidence and steps (exact commands), and the same steps as an Ansible playbook.
export * from './facts';
export * from './checklist';
export * from './playbook';
