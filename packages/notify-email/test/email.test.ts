import { createHash, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  createEd25519Sealer,
  isPermanent,
  type JsonObject,
  type NotifierMessage,
  sealDocument,
  textToHtml,
} from '@xinfang/core';
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
const { privateKey } = generateKeyPairSync('ed25519');
const sealer = createEd25519Sealer({ privateKey });
const TEXT =
  '示范县信访局\n受理告知书\n示县信〔2026〕1号\n\n张三：\n    你于2026年3月2日反映的事项，本机关决定予以受理。\n';

/** A document row as the engine's issuer leaves it: the sealed document and its fields. */
async function sealedMessage(
  id = `XF-2026-000001:3:acceptance-notice:${Math.random()}`,
): Promise<NotifierMessage> {
  const sealed = await sealDocument(
    {
      caseId: 'XF-2026-000001',
      documentId: 'acceptance-notice',
      name: '受理告知书',
      number: '示县信〔2026〕1号',
      issuedBy: { unit: 'county-bureau', name: '示范县信访局' },
      date: '2026-03-02',
      issuedAt: '2026-03-02T01:00:00.000Z',
      basis: 'reg-2022 art. 23',
      recipient: { id: 'p-1', name: '张三', kind: 'petitioner' },
      event: { type: 'ACCEPT', seq: 3 },
      text: TEXT,
    },
    sealer,
  );
  const doc = sealed.document;
  return {
    id,
    caseId: doc.caseId,
    recipient: 'p-1',
    kind: 'document',
    payload: {
      documentId: doc.documentId,
      name: doc.name,
      number: doc.number,
      text: doc.text,
      html: textToHtml(doc.text, `${doc.name} ${doc.number}`),
      contentHash: doc.contentHash,
      sealed: sealed as unknown as JsonObject,
    },
  };
}
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

  it('sends the sealed document: its verified text, HTML rendered from it, the sealed file attached, under a stable Message-ID', async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const notifier = createEmailNotifier({
      transport: transport(smtp.port),
      from: FROM,
      addressOf: toPetitioner,
      verifyKey: sealer,
    });
    closers.push(notifier.close);
    const message = await sealedMessage('XF-2026-000001:3:acceptance-notice');
    const receipt = await notifier.deliver(message);
    expect(receipt).toMatchObject({ channel: 'email', reference: messageIdFor(message.id) });
    const [mail] = smtp.mails;
    expect(mail?.to).toEqual(['zhangsan@example.com']);
    expect(header(mail?.raw ?? '', 'Message-ID')).toBe(messageIdFor(message.id));
    expect(part(mail?.raw ?? '', 'text/plain')).toBe(TEXT);
    expect(part(mail?.raw ?? '', 'text/html')).toBe(textToHtml(TEXT, '受理告知书 示县信〔2026〕1号'));
    expect(mail?.raw).toMatch(/acceptance-notice\.sealed\.json/);
    // the subject is the document's name and number, MIME-encoded
    expect(header(mail?.raw ?? '', 'Subject')).toMatch(/^=\?UTF-8\?/);
  });

  it('refuses a row whose payload differs from its sealed document (NOTIFY_DOCUMENT_MISMATCH), sending nothing', async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const notifier = createEmailNotifier({
      transport: transport(smtp.port),
      from: FROM,
      addressOf: toPetitioner,
      verifyKey: sealer,
    });
    closers.push(notifier.close);
    const refusal = async (edit: (m: NotifierMessage) => void) => {
      const m = await sealedMessage();
      edit(m);
      const e = await notifier.deliver(m).catch((x) => x);
      expect(isPermanent(e)).toBe(true);
      return { code: e.code, reason: e.details.reason, fields: e.details.fields };
    };
    const sealedDoc = (m: NotifierMessage) =>
      (m.payload.sealed as { document: Record<string, unknown> }).document;
    // a writer without the keys edits the HTML the petitioner would see
    expect(
      await refusal((m) => {
        m.payload.html = '<p>请点击 <a href="https://evil.example">此处</a> 缴费</p>';
      }),
    ).toEqual({ code: 'NOTIFY_DOCUMENT_MISMATCH', reason: 'payload-differs', fields: ['html'] });
    // ... or the text and number of the row, leaving the seal alone
    expect(
      await refusal((m) => {
        m.payload.text = `${m.payload.text}补充：本决定不得申请复查。`;
        m.payload.number = '示县信〔2026〕9号';
      }),
    ).toEqual({ code: 'NOTIFY_DOCUMENT_MISMATCH', reason: 'payload-differs', fields: ['number', 'text'] });
    // ... or the sealed text itself, with a fresh content hash: the seal no longer verifies
    expect(
      await refusal((m) => {
        const doc = sealedDoc(m);
        const text = `${TEXT}不予受理。`;
        const hash = `sha256:${createHash('sha256').update(text).digest('hex')}`;
        doc.text = text;
        doc.contentHash = hash;
        m.payload.text = text;
        m.payload.contentHash = hash;
        m.payload.html = textToHtml(text, '受理告知书 示县信〔2026〕1号');
      }),
    ).toEqual({ code: 'NOTIFY_DOCUMENT_MISMATCH', reason: 'seal', fields: undefined });
    // ... or sends another case's sealed document to this recipient
    expect(
      await refusal((m) => {
        m.caseId = 'XF-2026-000002';
      }),
    ).toEqual({ code: 'NOTIFY_DOCUMENT_MISMATCH', reason: 'payload-differs', fields: ['caseId'] });
    // ... or strips the seal
    expect(
      await refusal((m) => {
        delete m.payload.sealed;
      }),
    ).toEqual({ code: 'NOTIFY_DOCUMENT_MISMATCH', reason: 'unsealed', fields: undefined });
    expect(smtp.mails).toEqual([]);

    // without a verify key the content hash still catches a text edited without its hash
    const hashOnly = createEmailNotifier({
      transport: transport(smtp.port),
      from: FROM,
      addressOf: toPetitioner,
    });
    closers.push(hashOnly.close);
    const m = await sealedMessage();
    sealedDoc(m).text = `${TEXT}不予受理。`;
    await expect(hashOnly.deliver(m)).rejects.toMatchObject({
      code: 'NOTIFY_DOCUMENT_MISMATCH',
      details: { reason: 'seal' },
    });
    expect(smtp.mails).toEqual([]);
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
