// Splitting an ssh_config line the way OpenSSH's readconf.c does: the keyword ends at
// whitespace or one '=', the rest is split like argv_split() (quotes, the escapes \\ \" \' and
// "\ ", a '#' that starts a word ends the line). Match criteria use strdelim() instead (only
// double quotes, no escapes), as OpenSSH 9.2 does.

export interface ConfigLine {
  /** Lower-cased: OpenSSH's keywords are case-insensitive. */
  keyword: string;
  args: string[];
  /** The text after the keyword (and its '='), as OpenSSH hands it to Match and ProxyCommand. */
  rest: string;
}

const WS = ' \t\r\n';

/** One line, or undefined for a blank or comment line. Throws on a keyword without an argument
 *  or an unclosed quote, as ssh does. */
export function lexLine(raw: string): ConfigLine | undefined {
  const line = raw.replace(/[ \t\r\n\f]+$/, '');
  const m = /^[ \t]*([^ \t"=]*)/.exec(line)!;
  const keyword = m[1]!;
  if (!keyword || keyword.startsWith('#')) return undefined;
  let rest = line.slice(m[0].length);
  // strdelim: skip whitespace, then at most one '=' (when the keyword did not end at it), then whitespace.
  rest = rest.replace(/^[ \t]*=?[ \t]*/, '');
  if (!rest) throw new Error(`no argument after keyword "${keyword.toLowerCase()}"`);
  return { keyword: keyword.toLowerCase(), args: argvSplit(rest), rest };
}

/** OpenSSH's argv_split(s, terminate_on_comment=1). */
export function argvSplit(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    if (s[i] === '#') break;
    let quote = '';
    let arg = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\') {
        const n = s[i + 1];
        if (n === "'" || n === '"' || n === '\\' || (!quote && n === ' ')) {
          i++;
          arg += n;
        } else arg += c;
      } else if (!quote && (c === ' ' || c === '\t')) break;
      else if (!quote && (c === '"' || c === "'")) quote = c;
      else if (quote && c === quote) quote = '';
      else arg += c;
    }
    if (i >= s.length && quote) throw new Error('invalid quotes');
    out.push(arg);
  }
  return out;
}

/** OpenSSH's strdelim(): the next word (a "double-quoted" one whole), splitting at whitespace
 *  and one '='. Returns the word and the remaining text. */
export function strdelim(s: string): { word: string; rest: string } | undefined {
  if (!s) return undefined;
  const at = s.search(/[ \t\r\n"=]/);
  if (at < 0) return { word: s, rest: '' };
  if (s[at] === '"') {
    const body = s.slice(0, at) + s.slice(at + 1);
    const close = body.indexOf('"', at);
    if (close < 0) throw new Error('no matching quote');
    return { word: body.slice(0, close), rest: skipWs(body.slice(close + 1)) };
  }
  const word = s.slice(0, at);
  let rest = skipWs(s.slice(at + 1));
  if (s[at] !== '=' && rest.startsWith('=')) rest = skipWs(rest.slice(1));
  return { word, rest };
}

const skipWs = (s: string) => {
  let i = 0;
  while (i < s.length && WS.includes(s[i]!)) i++;
  return s.slice(i);
};
