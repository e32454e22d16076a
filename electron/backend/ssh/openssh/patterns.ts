// OpenSSH's match.c: glob patterns with * and ?, comma-separated pattern lists with '!'
// negation. One implementation for ssh_config (Host, Match) and known_hosts.

const cache = new Map<string, RegExp>();

/** match_pattern(): the whole string against one glob, case-sensitive. */
export function matchPattern(s: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
    re = new RegExp(`^${body}$`);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(s);
}

/** match_pattern_list(): 1 when a pattern matches and no negated one does, -1 when a negated
 *  pattern matches, 0 otherwise. `lower` folds the pattern list as match_hostname() does. */
export function matchPatternList(s: string, list: string, lower = false): -1 | 0 | 1 {
  let got: 0 | 1 = 0;
  for (const raw of list.split(',')) {
    const p = lower ? raw.toLowerCase() : raw;
    const negated = p.startsWith('!');
    if (matchPattern(s, negated ? p.slice(1) : p)) {
      if (negated) return -1;
      got = 1;
    }
  }
  return got;
}

/** match_hostname(): host names compare case-insensitively. */
export function matchHostname(host: string, list: string): -1 | 0 | 1 {
  return matchPatternList(host.toLowerCase(), list, true);
}
