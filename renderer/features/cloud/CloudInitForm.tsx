// The cloud-init fields: hostname, user, SSH keys (this machine's ~/.ssh/*.pub and agent keys, or
// pasted), password (hashed by the backend before anything leaves this machine), packages, a
// run-once command, DHCP or a static address (network-config v2), and the admin's own
// #cloud-config, checked as YAML (its line on an error) with the merged result shown.
import { Alert, Checkbox, Code, Group, PasswordInput, ScrollArea, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { Choice } from '../../ui/Choice';
import type { CloudInitState } from './use-cloud-init';

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

export function CloudInitForm({ c, hostnameLabel = 'Hostname', hostnameHint }: { c: CloudInitState; hostnameLabel?: string; hostnameHint?: string }) {
  const { input, set } = c;
  const net = input.network ?? { mode: 'dhcp' as const };
  const pasted = input.sshKeys.filter((k) => !c.localKeys.some((l) => l.key === k));
  return (
    <Stack gap="xs">
      <Group grow align="flex-start">
        <TextInput label={hostnameLabel} aria-label={hostnameLabel} value={input.hostname} onChange={(e) => set({ hostname: e.currentTarget.value })} description={hostnameHint} />
        <TextInput label="User" aria-label="Cloud-init user" value={input.user ?? ''} onChange={(e) => set({ user: e.currentTarget.value || undefined })} description="Made with sudo; empty: the image's default user" />
        <PasswordInput label="Password (optional)" aria-label="Cloud-init password" value={input.password ?? ''} onChange={(e) => set({ password: e.currentTarget.value || undefined })} description="Hashed (sha512-crypt) on this machine" />
      </Group>
      {c.localKeys.length > 0 && (
        <Stack gap={2} aria-label="This machine's SSH keys">
          <Text size="sm" fw={500}>SSH keys of this machine</Text>
          {c.localKeys.map((k) => (
            <Checkbox
              key={k.key}
              size="xs"
              label={`${k.key.split(' ')[0]} …${k.key.split(' ')[1]?.slice(-12)} ${k.key.split(' ').slice(2).join(' ')} (${k.from})`}
              checked={input.sshKeys.includes(k.key)}
              onChange={(e) => set({ sshKeys: e.currentTarget.checked ? [...input.sshKeys, k.key] : input.sshKeys.filter((x) => x !== k.key) })}
            />
          ))}
        </Stack>
      )}
      <Textarea
        label="SSH public keys (one a line)"
        aria-label="SSH public keys"
        autosize
        minRows={1}
        maxRows={4}
        value={pasted.join('\n')}
        onChange={(e) => set({ sshKeys: [...input.sshKeys.filter((k) => c.localKeys.some((l) => l.key === k)), ...lines(e.currentTarget.value)] })}
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
      />
      <Group grow align="flex-start">
        <TextInput label="Packages" aria-label="Packages" placeholder="nginx curl" value={(input.packages ?? []).join(' ')} onChange={(e) => set({ packages: e.currentTarget.value.split(/[\s,]+/).filter(Boolean) })} />
        <TextInput label="Run once (first boot)" aria-label="Run once" value={input.runOnce ?? ''} onChange={(e) => set({ runOnce: e.currentTarget.value || undefined })} />
      </Group>
      <Group align="flex-end">
        <Choice<'dhcp' | 'static'>
          label="Guest network"
          value={net.mode}
          onChange={(mode) => set({ network: mode === 'dhcp' ? { mode } : { mode, address: '', gateway: '', dns: [] } })}
          options={[['dhcp', 'DHCP'], ['static', 'Static address']]}
        />
        {net.mode === 'static' && (
          <>
            <TextInput size="xs" label="Address/prefix" aria-label="Static address" placeholder="192.0.2.50/24" value={net.address} onChange={(e) => set({ network: { ...net, address: e.currentTarget.value } })} />
            <TextInput size="xs" label="Gateway" aria-label="Gateway" value={net.gateway ?? ''} onChange={(e) => set({ network: { ...net, gateway: e.currentTarget.value || undefined } })} />
            <TextInput size="xs" label="DNS servers" aria-label="DNS servers" value={(net.dns ?? []).join(' ')} onChange={(e) => set({ network: { ...net, dns: e.currentTarget.value.split(/[\s,]+/).filter(Boolean) } })} />
          </>
        )}
      </Group>
      <Group grow align="flex-start">
        <Textarea
          label="Your own #cloud-config (merged)"
          aria-label="Custom cloud-config"
          placeholder={'#cloud-config\ntimezone: Europe/Berlin'}
          autosize
          minRows={4}
          maxRows={10}
          value={input.userData ?? ''}
          onChange={(e) => set({ userData: e.currentTarget.value || undefined })}
          error={'error' in c.preview ? c.preview.error : undefined}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        />
        <Stack gap={2}>
          <Text size="sm" fw={500}>user-data as written</Text>
          <ScrollArea h={150} type="auto">
            <Code block aria-label="Merged user-data">
              {'text' in c.preview ? c.preview.text : '—'}
            </Code>
          </ScrollArea>
        </Stack>
      </Group>
      {c.problems.length > 0 && (
        <Alert color="orange" role="alert" title="cloud-init" p="xs">
          {c.problems.join(' · ')}
        </Alert>
      )}
    </Stack>
  );
}
