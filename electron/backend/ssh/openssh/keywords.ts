// OpenSSH 9.x client keywords (readconf.c), lower-cased. Which keywords accumulate and which
// compete is OpenSSH's rule; everything else keeps the first value obtained.

/** Keywords whose every occurrence adds to a list (in the order read). */
export const ACCUMULATING = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv']);

/** Keywords that take the whole rest of the line as one value. */
export const WHOLE_LINE = new Set(['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand']);

/** Accepted and ignored by OpenSSH (deprecated or unsupported): no warning, no effect. */
const IGNORED = ['fallbacktorsh', 'globalknownhostsfile2', 'rhostsauthentication', 'useblacklistedkeys', 'userknownhostsfile2', 'useroaming', 'usersh', 'useprivilegedport', 'cipher', 'protocol', 'rsaauthentication', 'rhostsrsaauthentication', 'compressionlevel', 'dsaauthentication', 'skeyauthentication', 'tisauthentication', 'afstokenpassing', 'kerberosauthentication', 'kerberostgtpassing', 'smartcarddevice'];

const KNOWN = [
  'host', 'match', 'include', 'forwardagent', 'forwardx11', 'forwardx11trusted', 'forwardx11timeout', 'xauthlocation',
  'gatewayports', 'passwordauthentication', 'kbdinteractiveauthentication', 'kbdinteractivedevices',
  'challengeresponseauthentication', 'pubkeyauthentication', 'hostbasedauthentication', 'identityfile', 'identityfile2',
  'identitiesonly', 'certificatefile', 'addkeystoagent', 'identityagent', 'hostname', 'hostkeyalias', 'proxycommand',
  'port', 'ciphers', 'macs', 'remoteforward', 'localforward', 'permitremoteopen', 'user', 'escapechar',
  'globalknownhostsfile', 'userknownhostsfile', 'connectionattempts', 'batchmode', 'checkhostip',
  'stricthostkeychecking', 'compression', 'tcpkeepalive', 'keepalive', 'numberofpasswordprompts', 'syslogfacility',
  'loglevel', 'logverbose', 'dynamicforward', 'preferredauthentications', 'hostkeyalgorithms',
  'casignaturealgorithms', 'bindaddress', 'bindinterface', 'clearallforwardings', 'enablesshkeysign',
  'verifyhostkeydns', 'nohostauthenticationforlocalhost', 'rekeylimit', 'connecttimeout', 'addressfamily',
  'serveraliveinterval', 'serveralivecountmax', 'sendenv', 'setenv', 'controlpath', 'controlmaster',
  'controlpersist', 'hashknownhosts', 'tunnel', 'tunneldevice', 'localcommand', 'permitlocalcommand',
  'remotecommand', 'visualhostkey', 'kexalgorithms', 'ipqos', 'requesttty', 'sessiontype', 'stdinnull',
  'forkafterauthentication', 'proxyusefdpass', 'canonicaldomains', 'canonicalizefallbacklocal',
  'canonicalizehostname', 'canonicalizemaxdots', 'canonicalizepermittedcnames', 'streamlocalbindmask',
  'streamlocalbindunlink', 'revokedhostkeys', 'fingerprinthash', 'updatehostkeys', 'hostbasedacceptedalgorithms',
  'hostbasedkeytypes', 'pubkeyacceptedalgorithms', 'pubkeyacceptedkeytypes', 'ignoreunknown', 'proxyjump',
  'securitykeyprovider', 'knownhostscommand', 'requiredrsasize', 'enableescapecommandline', 'pkcs11provider',
  'gssapiauthentication', 'gssapidelegatecredentials', 'gssapikeyexchange', 'gssapiclientidentity',
  'gssapiserveridentity', 'gssapirenewalforcesrekey', 'gssapitrustdns', 'gssapikexalgorithms',
  // OpenSSH 9.4+
  'tag', 'channeltimeout', 'obscurekeystroketiming',
];

export type KeywordKind = 'known' | 'ignored' | 'unknown';

export function keywordKind(keyword: string): KeywordKind {
  if (KNOWN_SET.has(keyword)) return 'known';
  return IGNORED_SET.has(keyword) ? 'ignored' : 'unknown';
}

const KNOWN_SET = new Set(KNOWN);
const IGNORED_SET = new Set(IGNORED);

/** Old names OpenSSH still reads as their new keyword. */
export const ALIASES: Record<string, string> = {
  identityfile2: 'identityfile',
  hostbasedkeytypes: 'hostbasedacceptedalgorithms',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  keepalive: 'tcpkeepalive',
  challengeresponseauthentication: 'kbdinteractiveauthentication',
};
