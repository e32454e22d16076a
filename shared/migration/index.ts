// Moving VMs between hosts: the pre-flight over both hosts' facts, the route between them, the
// destination URI and the job's progress. Pure: the backend gathers the facts and runs virsh.
export * from './types';
export * from './preflight';
export * from './route';
export * from './uri';
export * from './job';
export * from './domain-bits';
