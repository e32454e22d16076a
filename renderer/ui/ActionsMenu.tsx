import { ActionIcon, Menu } from '@mantine/core';
import type { ReactNode } from 'react';

/** The "⋯" menu of a row or card: its items are Menu.Item children. */
export function ActionsMenu({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon size="sm" variant="subtle" aria-label={label}>
          ⋯
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}
