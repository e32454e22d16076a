import { Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A bordered, titled region of a page (role region, named by its title). */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Title order={3} size="h5" mb={6}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}
