// The host probe's output read: tools, root or not, the cgroup hierarchy, templates and bridges.
import { expect, test } from 'vitest';
import { parseProbe, sudoRuleHint } from './tools';

test('a host with the tools, as a non-root login, cgroup v1 under a tmpfs', () => {
  const out = 'tools=1\nuid=1000\narch=x86_64\ncgroupfs=tmpfs\ntemplate=busybox\ntemplate=download\nbridge=br-lxc\nbridge=br-lan\n';
  expect(parseProbe(out)).toEqual({ tools: true, root: false, hostArch: 'x86_64', cgroup2: false, templates: ['busybox', 'download'], bridges: ['br-lan', 'br-lxc'] });
});

test('a host without them, as root, on cgroup2', () => {
  expect(parseProbe('tools=0\nuid=0\narch=aarch64\ncgroupfs=cgroup2fs\n')).toEqual({ tools: false, root: true, hostArch: 'aarch64', cgroup2: true, templates: [], bridges: [] });
});

test('the sudo rule named to the user limits itself to the LXC tools', () => {
  expect(sudoRuleHint('admin')).toBe('admin ALL = (root) NOPASSWD: /usr/bin/lxc-*');
});
