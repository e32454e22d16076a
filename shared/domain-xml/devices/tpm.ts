// <tpm>: a TPM for the guest, emulated by swtpm or the host's passed through. Its model and
// backend are set (or one added) for the next boot; removing one is the generic remove-device.

import type { Element } from '@xmldom/xmldom';
import { devicesOfKind } from '../domain';
import { type Ctx, type Handlers, NEXT_BOOT, nonEmpty, oneOf } from '../handler';
import type { RuntimeState } from '../pending/runtime';
import type { TpmView } from '../types';
import { appendDevice } from '../xml/device-xml';
import { attr, attrsAt, child, createEl, elements, insertEl, removeEl, replaceEl } from '../xml/xml-doc';

export const TPM_MODELS = ['tpm-crb', 'tpm-tis', 'tpm-spapr', 'spapr-tpm-proxy'] as const;
export const TPM_BACKENDS = ['emulator', 'passthrough', 'external'] as const;
export const TPM_VERSIONS = ['1.2', '2.0'] as const;
export type TpmModel = (typeof TPM_MODELS)[number];
export type TpmVersion = (typeof TPM_VERSIONS)[number];

/** What set-tpm writes: an emulated TPM of a version, or the host's TPM device passed through. */
export type TpmSpec =
  | { model: TpmModel; backend: 'emulator'; version: TpmVersion }
  | { model: TpmModel; backend: 'passthrough'; device: string };

export type TpmEdit =
  // Sets the domain's TPM (the first <tpm>), adding one when it has none.
  { kind: 'set-tpm'; tpm: TpmSpec };

export function readTpm(t: Element, index: number): TpmView {
  return {
    index,
    ...attrsAt(t, { model: 'model', backendType: 'backend/type', backendVersion: 'backend/version' }),
    device: attr(child(child(t, 'backend') ?? t, 'device'), 'path'),
  };
}

/** Resolved at start: the emulator's persistent state and profile libvirt fills in. */
export const TPM_RUNTIME: RuntimeState = { resolved: ['backend/active_pcr_banks', 'backend/profile'] };

function backendEl(c: Ctx, spec: TpmSpec): Element {
  if (spec.backend === 'emulator') return createEl(c.xd, 'backend', { type: 'emulator', version: spec.version });
  return createEl(c.xd, 'backend', { type: 'passthrough' }, [createEl(c.xd, 'device', { path: spec.device })]);
}

function setTpm(c: Ctx, spec: TpmSpec): void {
  const model = oneOf('TPM model', spec.model, TPM_MODELS);
  const type = oneOf('TPM backend', spec.backend, ['emulator', 'passthrough'] as const);
  if (spec.backend === 'emulator') {
    oneOf('TPM version', spec.version, TPM_VERSIONS);
    // libvirt refuses it too, but only at define time and in its own words.
    if (model === 'tpm-crb' && spec.version === '1.2') throw new Error('a tpm-crb TPM is TPM 2.0 only (use tpm-tis for 1.2)');
  } else if (!nonEmpty('TPM device', spec.device).startsWith('/dev/')) {
    throw new Error(`invalid TPM device '${spec.device}' (expected a path under /dev, e.g. /dev/tpm0)`);
  }
  const existing = devicesOfKind(c.domain, 'tpm')[0];
  if (!existing) {
    appendDevice(c.xd, c.domain, createEl(c.xd, 'tpm', { model }, [backendEl(c, spec)]));
    return;
  }
  if (attr(existing, 'model') !== model) elements(existing, 'address').forEach(removeEl);
  existing.setAttribute('model', model);
  const old = child(existing, 'backend');
  if (old && attr(old, 'type') === type && spec.backend === 'emulator') {
    // Same emulator: keep what else it says (persistent_state, encryption, PCR banks).
    old.setAttribute('version', spec.version);
  } else if (old) {
    replaceEl(c.xd, old, backendEl(c, spec));
  } else {
    insertEl(c.xd, existing, backendEl(c, spec));
  }
}

export const tpmHandlers = {
  'set-tpm': { apply: (c, e) => setTpm(c, e.tpm), live: NEXT_BOOT },
} satisfies Handlers<TpmEdit>;
