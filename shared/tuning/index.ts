// Fleet-wide tuning: the advisor over every VM (scan), a plan from picked findings, and the
// report of a run. Pure: the backend reads the hosts and runs virsh (electron/backend/tuning/).
export * from './types';
export * from './scan';
export * from './plan';
export * from './report';
