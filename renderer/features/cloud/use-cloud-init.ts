// The cloud-init fields a wizard or deploy dialog edits, with their problems and the merged
// user-data as it will be written (shared/cloud-init), checked as the admin types.
import { useEffect, useMemo, useState } from 'react';
import { CloudInitError, fieldProblems, previewUserData, type CloudInitFields } from '../../../shared/cloud-init';
import type { CloudInitInput, LocalSshKey } from '../../../shared/contract';
import { api } from '../../app/api';

export interface CloudInitState {
  input: CloudInitInput;
  set(patch: Partial<CloudInitInput>): void;
  localKeys: LocalSshKey[];
  problems: string[];
  /** The merged #cloud-config, or the YAML error of the admin's part (with its line). */
  preview: { text: string } | { error: string; line?: number };
}

/** A stand-in hash: the real one is made by the backend from the password, on this machine. */
const HASH_PLACEHOLDER = '$6$salt$hash-made-on-create';

/** `sampleHostname`: a deployment of many, whose hostname field is a pattern, checks and shows
 *  its fields with the first VM's hostname. */
export function useCloudInit(initialHostname: string, opts: { sampleHostname?: (pattern: string) => string } = {}): CloudInitState {
  const [input, setInput] = useState<CloudInitInput>({ hostname: initialHostname, user: 'admin', sshKeys: [], network: { mode: 'dhcp' } });
  const [localKeys, setLocalKeys] = useState<LocalSshKey[]>([]);
  useEffect(() => {
    let live = true;
    void api.call('cloud.localKeys', {}).then((o) => live && o.ok && setLocalKeys(o.value));
    return () => {
      live = false;
    };
  }, []);
  const fields: CloudInitFields = useMemo(() => {
    const { password, ...rest } = input;
    return { ...rest, hostname: opts.sampleHostname ? opts.sampleHostname(rest.hostname) : rest.hostname, ...(password ? { passwordHash: HASH_PLACEHOLDER } : {}) };
  }, [input, opts.sampleHostname]);
  const problems = useMemo(() => fieldProblems(fields), [fields]);
  const preview = useMemo(() => {
    try {
      return { text: previewUserData(fields) };
    } catch (err) {
      if (err instanceof CloudInitError) return { error: err.message, ...(err.line ? { line: err.line } : {}) };
      throw err;
    }
  }, [fields]);
  return { input, set: (patch) => setInput((s) => ({ ...s, ...patch })), localKeys, problems: 'error' in preview ? [preview.error, ...problems] : problems, preview };
}
