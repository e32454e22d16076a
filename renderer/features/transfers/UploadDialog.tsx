// Upload a file from this machine into a pool as a new volume: the browser's file picker, or in
// the Electron app the native open dialog. The volume's format comes from the file itself.
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { LocalFilePicker, type LocalFile } from './LocalFilePicker';
import { uploadPicked } from './transfer-tasks';

export function UploadDialog({ hostId, pool, where, onClose }: { hostId: string; pool: string; where: string; onClose: () => void }) {
  const [file, setFile] = useState<LocalFile | null>(null);
  const [name, setName] = useState('');
  const submit = () => {
    if (file) void uploadPicked(file, { hostId, pool, name: name.trim() }, where);
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={`Upload to ${where}`} size="md">
      <Stack gap="sm">
        <LocalFilePicker
          label="File to upload"
          onPick={(f) => {
            setFile(f);
            if (f) setName((n) => n || f.name);
          }}
        />
        {file?.kind === 'browser' && (
          <Text size="xs" c="dimmed">
            qcow2 or raw is read from the file itself
          </Text>
        )}
        <TextInput label="Volume name" aria-label="Volume name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button disabled={!file || !name.trim()} onClick={submit}>
            Upload
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
