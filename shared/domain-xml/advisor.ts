// The advisor moved to ./advisor/; this file keeps the old deep import path
// (shared/domain-xml/advisor) working for the renderer, the backend and the contract.
export * from './advisor/index';
