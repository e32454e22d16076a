import { Text } from '@mantine/core';

/** A VM's name in bold and its host beside it, as the tuning lists show them. */
export function VmName({ name, host, size = 'sm' }: { name: string; host: string; size?: 'xs' | 'sm' }) {
  return (
    <>
      <Text size={size} fw={600}>
        {name}
      </Text>
      <Text size="xs" c="dimmed">
        {host}
      </Text>
    </>
  );
}
