// Keys for the tests' in-process ssh2 servers and agents. ssh2's generateKeyPairSync('ed25519')
// writes about one key in 256 with a 31-byte public key (a leading zero byte dropped), which its
// own parseKey then refuses ("Malformed OpenSSH private key"): such a key is made again.
import ssh2, { type ParsedKey } from 'ssh2';

const { utils } = ssh2;

/** A fresh ed25519 key pair in OpenSSH format that ssh2 itself can read back. */
export function ed25519KeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}

/** The same, parsed. */
export function ed25519Key(): ParsedKey {
  return utils.parseKey(ed25519KeyPair().private) as ParsedKey;
}
