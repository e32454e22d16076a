// The display password asked of the person (VNC or SPICE): why it is asked, and Connect.
import { Button, Group, PasswordInput } from '@mantine/core';

export function PasswordPrompt(props: { label: string; reason: string; value: string; onChange(v: string): void; onSubmit(): void }) {
  return (
    <Group
      component="form"
      gap="xs"
      align="flex-end"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <PasswordInput size="xs" label={props.label} description={props.reason} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)} autoFocus />
      <Button size="xs" type="submit">
        Connect
      </Button>
    </Group>
  );
}
