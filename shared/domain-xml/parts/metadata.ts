// The domain's title (one line, shown in lists), description and <metadata> (libosinfo's OS id).
// Title and description are applied to the running VM too (virsh desc --live).

import type { Element } from '@xmldom/xmldom';
import { DOMAIN_ORDER, LIBOSINFO_NS } from '../domain';
import { type Handlers, LIVE, setTextChild, textOrNull } from '../handler';
import type { DomainView } from '../types';
import { type XmlDoc, attr, child, text } from '../xml/xml-doc';

export type MetadataEdit =
  // Sets the one-line <title> shown in lists; null removes it.
  | { kind: 'set-title'; title: string | null }
  // Sets the free-text <description>; null removes it.
  | { kind: 'set-description'; description: string | null };

export function readMetadata(xd: XmlDoc, domain: Element): Pick<DomainView, 'title' | 'description' | 'metadata'> {
  const md = child(domain, 'metadata');
  const os = md?.getElementsByTagNameNS(LIBOSINFO_NS, 'os').item(0) ?? null;
  return {
    title: text(child(domain, 'title')),
    description: text(child(domain, 'description')),
    metadata: md
      ? { xml: Array.from(md.childNodes).map((n) => xd.serializeNode(n)).join('').trim(), libosinfoId: attr(os, 'id') }
      : { xml: null, libosinfoId: null },
  };
}

export const metadataHandlers = {
  'set-title': {
    apply(c, e) {
      if (textOrNull('title', e.title) !== null && /[\r\n]/.test(e.title!)) throw new Error('invalid title: it must be a single line');
      setTextChild(c.xd, c.domain, 'title', e.title, DOMAIN_ORDER);
    },
    live: LIVE,
  },
  'set-description': {
    apply: (c, e) => setTextChild(c.xd, c.domain, 'description', textOrNull('description', e.description), DOMAIN_ORDER),
    live: LIVE,
  },
} satisfies Handlers<MetadataEdit>;
