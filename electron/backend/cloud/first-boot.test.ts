import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { waitForFinish } from './first-boot';

class FakeChannel extends EventEmitter {
  closed = false;
  write() {
    return true;
  }
  close() {
    this.closed = true;
  }
}

describe("cloud-init's last line on the console", () => {
  test('found across chunks; the console is closed after it', async () => {
    const ch = new FakeChannel();
    const done = waitForFinish(ch, 5000);
    ch.emit('data', Buffer.from('[  OK  ] Reached target\r\nCloud-init v. 23.1'));
    ch.emit('data', Buffer.from('.1-0ubuntu0 finished at Tue, 01 Dec 2026 17:00:00 +0000. Datasource DataSourceNoCloud'));
    expect(await done).toBe(true);
    expect(ch.closed).toBe(true);
  });
  test('a console that closes first (taken by someone with --force), or stays silent: not finished', async () => {
    const ch = new FakeChannel();
    const done = waitForFinish(ch, 5000);
    ch.emit('data', Buffer.from('Cloud-init v. 23.1 running modules'));
    ch.emit('close');
    expect(await done).toBe(false);
    expect(await waitForFinish(new FakeChannel(), 20)).toBe(false);
  });
});
