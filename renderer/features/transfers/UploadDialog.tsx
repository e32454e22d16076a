// Upload a file from this machine into a pool as a new volume: the browser's file picker, or in
// the Electron app the native open dialog. The volume's format comes from the file itself.
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { PickedFile } from '../../../shared/contract';
import { formatBytes } from '../../../shared/transfers';
import { api } from '../../app/api';
import { canPickLocalFiles, uploadBrowserFile, uploadLocalFile } from './transfer-tasks';

export function UploadDialog({ hostId, pool, where, onClose }: { hostId: string; pool: string; where: string; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [picked, setPicked] = useState<PickedFile | null>(null);
  const [name, setName] = useState('');
  const native = canPickLocalFiles();
  const chosen = native ? picked?.name : file?.name;
  const submit = () => {
    const dest = { hostId, pool, name: name.trim() };
    if (native && picked) void uploadLocalFile(picked, dest, where);
    else if (file) void uploadBrowserFile(file, dest, where);
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={`Upload to ${where}`} size="md">
      <Stack gap="sm">
        {native ? (
          <Group>
            <Button
              variant="default"
              onClick={async () => {
                const f = await api.pickFile!('open');
                if (!f) return;
                setPicked(f);
                setName((n) => n || f.name);
              }}
            >
              Choose file…
            </Button>
            <Text size="sm">{picked?.path ?? 'No file chosen'}</Text>
          </Group>
        ) : (
          <label>
            <Text size="sm" fw={500}>
              File to upload
            </Text>
            <input
              type="file"
              aria-label="File to upload"
              onChange={(e) => {
                const f = e.currentTarget.files?.[0] ?? null;
                setFile(f);
                if (f) setName((n) => n || f.name);
              }}
            />
          </label>
        )}
        {file && !native && (
          <Text size="xs" c="dimmed">
            {formatBytes(file.size)}; qcow2 or raw is read from the file itself
          </Text>
        )}
        <TextInput label="Volume name" aria-label="Volume name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button disabled={!chosen || !name.trim()} onClick={submit}>
            Upload
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
