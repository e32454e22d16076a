// <tpm>: a TPM for the guest (emulated by swtpm, or the host's passed through). Read and value
// lists; removing one is the generic remove-device (next boot).

import type { Element } from '@xmldom/xmldom';
import type { TpmView } from '../types';
import { attr, child } from '../xml/xml-doc';

export const TPM_MODELS = ['tpm-crb', 'tpm-tis', 'tpm-spapr', 'spapr-tpm-proxy'] as const;
export const TPM_BACKENDS = ['emulator', 'passthrough', 'external'] as const;
export const TPM_VERSIONS = ['1.2', '2.0'] as const;


export function readTpm(t: Element, index: number): TpmView {
  const backend = child(t, 'backend');
  return { index, model: attr(t, 'model'), backendType: attr(backend, 'type'), backendVersion: attr(backend, 'version') };
}
