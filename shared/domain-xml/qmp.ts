// The QEMU monitor commands VirtDeck may send (read-only queries only): the backend refuses any
// other, the renderer offers these.

export const QMP_QUERIES = ['query-status', 'query-block', 'query-blockstats', 'query-pci', 'query-balloon', 'query-cpus-fast', 'x-query-virtio', 'query-commands'] as const;
export type QmpQuery = (typeof QMP_QUERIES)[number];
