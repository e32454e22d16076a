import { Text } from '@mantine/core';

export function HardwareTab({ hostId: _hostId, name }: { hostId: string; name: string }) {
  return (
    <Text size="sm" c="dimmed">
      Not built yet for {name}.
    </Text>
  );
}
