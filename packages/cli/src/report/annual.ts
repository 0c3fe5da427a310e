/** The annual report of Reg. 41 as text and as CSV (JSON is the report object itself). */

import type { AnnualReport, Count } from '@xinfang/core/reporting';
import { csv, percent, table } from './text.js';

const counts = (list: Count[]) =>
  table(
    ['', 'count'],
    list.map((c) => [c.name, String(c.count)]),
  );

/** The report for a terminal, section by section, in the order Reg. 41 lists them. */
export function formatAnnual(r: AnnualReport): string {
  const s = r.supervision;
  const out = [
    `信访工作年度报告 annual report (reg-2022 art. 41) · ${r.jurisdictions.map((j) => `${j.name} ${j.version}`).join(', ')}`,
    `period ${r.from} to before ${r.to} · as of ${r.asOf}`,
    '',
    `1. 信访事项 matters registered: ${r.matters.total}`,
    counts(r.matters.byKind),
    '',
    'by channel:',
    counts(r.matters.byChannel),
    '',
    '2. 反映集中的领域 fields concerned:',
    counts(r.fields),
    '',
    '3. 被反映较多的机关 bodies most complained about:',
    r.mostComplainedAbout.length > 0 ? counts(r.mostComplainedAbout) : '(none named)',
    '',
    `4. 转送、交办、督办 transfers ${r.disposal.transfers} · assignments ${r.disposal.assignments} · ` +
      `designations ${r.disposal.designations}`,
    `   supervision letters ${s.supervised} · replies ${s.replies} · answered on time ${percent(s.answeredOnTime)} ` +
      `(${s.answeredOnTime.count}/${s.answeredOnTime.of}) · non-acceptances reopened ${s.reopened} · ` +
      `spot checks upholding ${s.spotChecksUpheld}`,
  ];
  if (s.byGround.length > 0)
    out.push(
      '   by liability ground (reg-2022 art. 42-46):',
      table(
        ['', 'article', 'supervision', 'accountability'],
        s.byGround.map((g) => [g.name, g.basis ?? '', String(g.supervised), String(g.accountability)]),
      ),
    );
  if (s.jointMeetingMeasures.length > 0)
    out.push(
      `   联席会议约谈、通报、挂牌督办 the joint meetings' measures (reg-2022 art. 39): ${s.jointMeetingMeasures.map((m) => `${m.name} ${m.count}`).join(' · ')}`,
    );
  out.push(
    '',
    '5. 三项建议 the three suggestions and their adoption:',
    table(
      ['', 'made', 'adopted', 'not adopted', 'no report yet'],
      r.suggestions.map((t) => [
        t.name,
        String(t.made),
        String(t.adopted),
        String(t.notAdopted),
        String(t.pending),
      ]),
    ),
    '',
    `领导接访 leader receptions: booked ${r.receptions.booked} · held ${r.receptions.held} · ` +
      `matters resolved there ${r.receptions.resolved}`,
    `领导包案 cases in a leader's personal charge ${r.leadership.takenInCharge} · 联合接访 joint receptions ` +
      `${r.leadership.jointReceptions} (resolved ${r.leadership.jointResolved})`,
    `重大紧急事项报告 major or urgent matters reported up ${r.reportedUp}`,
    `信访秩序 prohibited conduct recorded ${r.order.recorded} (serious ${r.order.serious}) · ` +
      `handed to the police ${r.order.handedToPolice}`,
    `三到位一处理 outcomes recorded: ${r.outcomes.map((o) => `${o.name} ${o.count}`).join(' · ') || 'none'} · ` +
      `follow-ups after termination ${r.followUps}`,
  );
  return out.join('\n');
}

/** Every figure of the report as `section,key,name,value` lines. */
export function annualCsv(r: AnnualReport): string {
  const rows: (string | number | null)[][] = [['matters', 'total', '', r.matters.total]];
  const add = (section: string, list: Count[]) => {
    for (const c of list) rows.push([section, c.key, c.name, c.count]);
  };
  add('matters.kind', r.matters.byKind);
  add('matters.channel', r.matters.byChannel);
  add('fields', r.fields);
  add('complainedAbout', r.mostComplainedAbout);
  rows.push(
    ['disposal', 'transfers', '', r.disposal.transfers],
    ['disposal', 'assignments', '', r.disposal.assignments],
    ['disposal', 'designations', '', r.disposal.designations],
    ['supervision', 'supervised', '', r.supervision.supervised],
    ['supervision', 'replies', '', r.supervision.replies],
    ['supervision', 'answeredOnTime_count', '', r.supervision.answeredOnTime.count],
    ['supervision', 'answeredOnTime_of', '', r.supervision.answeredOnTime.of],
    ['supervision', 'answeredOnTime_rate', '', r.supervision.answeredOnTime.rate],
    ['supervision', 'reopened', '', r.supervision.reopened],
    ['supervision', 'spotChecksUpheld', '', r.supervision.spotChecksUpheld],
  );
  add('accountability', r.supervision.accountability);
  add('jointMeetingMeasures', r.supervision.jointMeetingMeasures);
  for (const g of r.supervision.byGround) {
    rows.push(['grounds.supervised', g.key, g.basis ?? g.name, g.supervised]);
    rows.push(['grounds.accountability', g.key, g.basis ?? g.name, g.accountability]);
  }
  for (const t of r.suggestions) {
    for (const k of ['made', 'adopted', 'notAdopted', 'pending'] as const)
      rows.push([`suggestions.${k}`, t.key, t.name, t[k]]);
  }
  rows.push(
    ['receptions', 'booked', '', r.receptions.booked],
    ['receptions', 'held', '', r.receptions.held],
    ['receptions', 'resolved', '', r.receptions.resolved],
    ['leadership', 'takenInCharge', '', r.leadership.takenInCharge],
    ['leadership', 'jointReceptions', '', r.leadership.jointReceptions],
    ['leadership', 'jointResolved', '', r.leadership.jointResolved],
    ['reportedUp', 'total', '', r.reportedUp],
    ['order', 'recorded', '', r.order.recorded],
    ['order', 'serious', '', r.order.serious],
    ['order', 'handedToPolice', '', r.order.handedToPolice],
  );
  add('outcomes', r.outcomes);
  rows.push(['followUps', 'total', '', r.followUps]);
  return csv(['section', 'key', 'name', 'value'], rows);
}
