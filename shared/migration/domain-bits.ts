// The two pieces of a domain's XML the pre-flight hands to the destination as they are written:
// the <cpu> element (for hypervisor-cpu-compare) and the firmware file of <os><loader>.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]!);

/** The domain's own <cpu> element (not <cputune>, not a <vcpu>), or null without one. */
export function cpuElement(domainXml: string): string | null {
  return /<cpu\b[^>]*\/>|<cpu\b[\s\S]*?<\/cpu>/.exec(domainXml)?.[0] ?? null;
}

/** The loader (firmware) file named in <os>, or null (BIOS, direct kernel boot). */
export function loaderPath(domainXml: string): string | null {
  const m = /<loader\b[^>]*>([^<]+)<\/loader>/.exec(domainXml);
  return m ? unescape(m[1]!.trim()) : null;
}

/** The <value>s of domcapabilities' <os><loader>: the firmware files the host offers. */
export function firmwareValues(domcapsXml: string): string[] {
  const loader = /<loader\b[\s\S]*?<\/loader>/.exec(domcapsXml)?.[0] ?? '';
  return [...loader.matchAll(/<value>([^<]+)<\/value>/g)].map((m) => unescape(m[1]!.trim()));
}

/** hypervisor-cpu-compare's verdict from its (LC_ALL=C) words. */
export function cpuVerdict(output: string): 'identical' | 'superset' | 'incompatible' | null {
  const m = /\b(identical|superset|incompatible)\b/.exec(output);
  return (m?.[1] as 'identical' | 'superset' | 'incompatible' | undefined) ?? null;
}
