import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { hashPassword, sha512Crypt } from './sha512-crypt';

describe('sha512-crypt', () => {
  // The test vectors of https://www.akkadia.org/drepper/SHA-crypt.txt (SHA-512 part).
  test.each([
    ['$6$saltstring', 'Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
    ['$6$rounds=10000$saltstringsaltstring', 'Hello world!', '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
    ['$6$rounds=5000$toolongsaltstring', 'This is just a test', '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'],
    ['$6$rounds=1400$anotherlongsaltstring', 'a very much longer text to encrypt.  This one even stretches over morethan one line.', '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1'],
    ['$6$rounds=10$roundstoolow', 'the minimum number is still observed', '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.'],
  ])('%s', (setting, password, expected) => {
    expect(sha512Crypt(password, setting)).toBe(expected);
  });
  const openssl = spawnSync('openssl', ['version']).status === 0;
  test.skipIf(!openssl)('a new hash verifies with openssl passwd -6 (unicode password)', () => {
    const h = hashPassword('pässwörd $(x) "q"');
    const salt = h.split('$')[2]!;
    const r = spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: 'pässwörd $(x) "q"', encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(h);
    expect(salt).toHaveLength(16);
  });
});
