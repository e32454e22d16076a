// A template is a shut-off VM marked in its <metadata> with an element in VirtDeck's own XML
// namespace (written with `virsh metadata --uri … --key … --set`), so the mark travels with the
// definition, other tools keep it, and any VirtDeck window sees it.
import { DOMParser } from '@xmldom/xmldom';

export const VIRTDECK_TEMPLATE_NS = 'https://virtdeck.dev/xmlns/template/1';
/** The prefix libvirt writes the element with (`virsh metadata --key`). */
export const VIRTDECK_TEMPLATE_KEY = 'virtdeck';
/** The element stored: `<virtdeck:template/>` once libvirt adds the prefix. */
export const TEMPLATE_ELEMENT = '<template/>';

/** The XPath (for `virsh dumpxml --xpath`) that finds the mark. */
export const TEMPLATE_XPATH = `/domain/metadata/*[namespace-uri()='${VIRTDECK_TEMPLATE_NS}']`;

/** Whether a domain's XML carries the template mark. */
export function isTemplateXml(xml: string): boolean {
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  const md = doc.documentElement?.getElementsByTagName('metadata').item(0);
  return !!md && md.getElementsByTagNameNS(VIRTDECK_TEMPLATE_NS, 'template').length > 0;
}

/** Whether `virsh dumpxml --xpath TEMPLATE_XPATH` printed the mark (it prints nothing, or fails,
 *  without one). */
export const xpathFoundTemplate = (out: string): boolean => out.includes(VIRTDECK_TEMPLATE_NS);
