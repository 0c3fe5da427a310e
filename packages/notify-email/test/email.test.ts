import type { AddressInfo } from 'node:net';
import { notifierConformance, type ReceivedMessage, sampleMessage } from '@xinfang/testing';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailNotifier, EMAIL_IDEMPOTENCY_HEADER, messageIdFor } from '../src/index.js';

interface Mail {
  to: string[];
  raw: string;
}

/** The value of a header in a raw message (unfolded), or undefined. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The decoded body of the first MIME part of `type` (the notifier sends text as base64). */
function part(raw: string, type: string): string | undefined {
  const boundaries = [...raw.matchAll(/boundary="?([^"\r\n;]+)"?/g)].map((m) => m[1] as string);
  for (const b of boundaries) {
    for (const section of raw.split(`--${b}`)) {
      const [head = '', ...rest] = section.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
      if (!new RegExp(`content-type:\\s*${type}`, 'i').test(head)) continue;
      const body = rest.join('\n\n');
      return /content-transfer-encoding:\s*base64/i.test(head)
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
    }
  }
  return undefined;
}

/** A real SMTP server on 127.0.0.1 (no auth, no TLS) keeping every message it accepts. */
async function startSmtp(options: { reject?: (rcpt: string) => number | undefined } = {}) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = options.reject?.(address.address);
      if (code === undefined) return callback();
      const err = Object.assign(new Error(`mailbox ${address.address} refused`), { responseCode: code });
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    received: async (): Promise<ReceivedMessage[]> =>
      mails.map((m) => ({
        key: String(header(m.raw, EMAIL_IDEMPOTENCY_HEADER)),
        text: part(m.raw, 'text/plain') ?? '',
      })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const transport = (port: number) => ({
  host: '127.0.0.1',
  port,
  secure: false,
  ignoreTLS: true,
  connectionTimeout: 2000,
  greetingTimeout: 2000,
});
const FROM = '示范县信访局 <xinfang@county.example>';
const toPetitioner = () => 'zhangsan@example.com';

notifierConformance('email', async () => {
  const smtp = await startSmtp();
  return {
    notifier: createEmailNotifier({ transport: transport(smtp.port), from: FROM, addressOf: toPetitioner }),
    received: smtp.received,
    unreachable: async () => {
      const down = await startSmtp();
      await down.close();
      return createEmailNotifier({ transport: transport(down.port), from: FROM, addressOf: toPetitioner });
    },
    cleanup: smtp.close,
  };
});

describe('email notifier', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it('sends the document as text and HTML, the sealed file attached, under a stable Message-ID', async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const notifier = createEmailNotifier({
      transport: transport(smtp.port),
      from: FROM,
      addressOf: toPetitioner,
    });
    closers.push(notifier.close);
    const message = sampleMessage('XF-2026-000001:3:acceptance-notice');
    message.payload.sealed = {
      format: 'xinfang.sealed-document.v1',
      document: { number: '示县信〔2026〕1号' },
    };
    const receipt = await notifier.deliver(message);
    expect(receipt).toMatchObject({ channel: 'email', reference: messageIdFor(message.id) });
    const [mail] = smtp.mails;
    expect(mail?.to).toEqual(['zhangsan@example.com']);
    expect(header(mail?.raw ?? '', 'Message-ID')).toBe(messageIdFor(message.id));
    expect(part(mail?.raw ?? '', 'text/html')).toBeDefined();
    expect(mail?.raw).toMatch(/acceptance-notice\.sealed\.json/);
    // the subject is the document's name and number, MIME-encoded
    expect(header(mail?.raw ?? '', 'Subject')).toMatch(/^=\?UTF-8\?/);
  });

  it('is permanent without an address or on a 5xx refusal, transient on a 4xx', async () => {
    const smtp = await startSmtp({
      reject: (r) => (r.startsWith('gone') ? 550 : r.startsWith('full') ? 452 : undefined),
    });
    closers.push(smtp.close);
    const notifier = createEmailNotifier({
      transport: transport(smtp.port),
      from: FROM,
      addressOf: (m) => (m.recipient === 'p-1' ? undefined : m.recipient),
    });
    closers.push(notifier.close);
    await expect(notifier.deliver(sampleMessage())).rejects.toMatchObject({ code: 'NOTIFY_PERMANENT' });
    await expect(
      notifier.deliver({ ...sampleMessage(), recipient: 'gone@example.com' }),
    ).rejects.toMatchObject({
      code: 'NOTIFY_PERMANENT',
      permanent: true,
    });
    await expect(
      notifier.deliver({ ...sampleMessage(), recipient: 'full@example.com' }),
    ).rejects.toMatchObject({
      code: 'NOTIFY_FAILED',
      permanent: false,
    });
  });
});
