import type { DeadlineResult, TraceStep } from './deadline.js';
import type { DayUnit } from './units.js';

type Locale = 'zh' | 'en';

const span = (from: string, to: string, locale: Locale) =>
  from === to ? from : locale === 'zh' ? `${from} 至 ${to}` : `${from} .. ${to}`;

function unitText(days: number, unit: DayUnit, locale: Locale): string {
  if (locale === 'zh') return unit === 'working' ? `${days} 个工作日` : `${days} 日（自然日）`;
  return `${days} ${unit === 'working' ? 'working' : 'calendar'} day${days === 1 ? '' : 's'}`;
}

/** The trace step of one kind. */
type Step<K extends TraceStep['step']> = Extract<TraceStep, { step: K }>;

function line(step: TraceStep, locale: Locale): string {
  const zh = locale === 'zh';
  switch (step.step) {
    case 'start':
      return zh
        ? `起算日 ${step.date}（当日不计入），期间 ${unitText(step.days, step.unit, locale)}`
        : `start ${step.date} (not counted); period of ${unitText(step.days, step.unit, locale)}`;
    case 'count':
      return countLine(step, locale);
    case 'skip':
      return skipLine(step, locale);
    case 'extension':
      return zh
        ? `延长 ${unitText(step.days, step.unit, locale)}，自 ${step.from} 起算（当日不计入），批准人 ${step.approvedBy}，理由：${step.reason}`
        : `extended by ${unitText(step.days, step.unit, locale)} from ${step.from} (not counted), approved by ${step.approvedBy}: ${step.reason}`;
    case 'moved':
      return movedLine(step, locale);
    case 'capped':
      return zh
        ? `连同延长期限合计不超过 ${step.totalDays} 日：届满日由 ${step.from} 提前至 ${step.to}`
        : `at most ${step.totalDays} days in total with extensions: due brought back from ${step.from} to ${step.to}`;
    case 'suspended':
      return zh
        ? `自 ${step.since} 起中止计算，尚未恢复，尚余 ${step.remaining} 日：届满日为最早可能日期，恢复后须重新计算`
        : `suspended since ${step.since} by a pause still running, ${step.remaining} day(s) left to count: the due date is only the earliest possible; recompute when it ends`;
    case 'result':
      return zh
        ? `期限届满：${step.due} ${step.cutoff}（${step.timezone}），即 ${step.dueAt}${step.provisional ? '（暂定）' : ''}`
        : `due ${step.due} at ${step.cutoff} ${step.timezone} = ${step.dueAt}${step.provisional ? ' (provisional)' : ''}`;
  }
}

/** The note on a run counted past the covered years. */
function provisionalNote(step: { provisional?: true }, zh: boolean): string {
  return step.provisional ? (zh ? '，暂按周末计算' : ', provisional: weekends only') : '';
}

function countLine(step: Step<'count'>, locale: Locale): string {
  const zh = locale === 'zh';
  const what = zh
    ? step.kind === 'adjusted-workday'
      ? ` 个调休上班日${step.adjustment ? `（${step.adjustment}）` : ''}`
      : step.kind === 'workday'
        ? ' 个工作日'
        : ' 日'
    : step.kind === 'adjusted-workday'
      ? `adjusted working day${step.days === 1 ? '' : 's'}${step.adjustment ? ` (${step.adjustment})` : ''}`
      : step.kind === 'workday'
        ? `working day${step.days === 1 ? '' : 's'}`
        : `day${step.days === 1 ? '' : 's'}`;
  const prov = provisionalNote(step, zh);
  return zh
    ? `计入 ${span(step.from, step.to, locale)}：${step.days}${what}（累计 ${step.total}）${prov}`
    : `counted ${span(step.from, step.to, locale)}: ${step.days} ${what} (total ${step.total})${prov}`;
}

function skipLine(step: Step<'skip'>, locale: Locale): string {
  const zh = locale === 'zh';
  const why = zh
    ? step.reason === 'pause'
      ? '中止计算（期间不计入）'
      : step.reason === 'holiday'
        ? `法定节假日（${step.holiday}）`
        : '周末'
    : step.reason === 'pause'
      ? 'paused (the clock is stopped)'
      : step.reason === 'holiday'
        ? `holiday (${step.holiday})`
        : 'weekend';
  const prov = provisionalNote(step, zh);
  return zh
    ? `跳过 ${span(step.from, step.to, locale)}：${step.days} 日，${why}${prov}`
    : `skipped ${span(step.from, step.to, locale)}: ${step.days} day${step.days === 1 ? '' : 's'}, ${why}${prov}`;
}

function movedLine(step: Step<'moved'>, locale: Locale): string {
  const zh = locale === 'zh';
  const why = zh
    ? step.reason === 'holiday'
      ? `法定节假日（${step.holiday}）`
      : '周末'
    : step.reason === 'holiday'
      ? `a holiday (${step.holiday})`
      : 'a weekend day';
  return zh
    ? `期间最后一日 ${step.from} 为${why}，顺延至其后第一个工作日 ${step.to}（民法典第二百零三条）`
    : `the last day ${step.from} is ${why}: the period ends on the next working day, ${step.to} (Civil Code art. 203)`;
}

/**
 * A deadline's explanation for people, one line per step: the start, each run of days
 * counted or skipped and why (weekend, holiday name, pause), extensions, the move to the
 * next working day, the result, and whether it is provisional.
 * @param locale `zh` (default) or `en`; holiday names stay as the calendar writes them.
 */
export function explainDeadline(result: DeadlineResult, locale: Locale = 'zh'): string {
  const zh = locale === 'zh';
  const lines = [
    zh
      ? `日历 ${result.calendarId}（版本 ${result.calendarVersion}）`
      : `calendar ${result.calendarId}, version ${result.calendarVersion}`,
    ...result.trace.map((s) => line(s, locale)),
  ];
  if (result.provisional) {
    const years = (result.provisionalYears ?? []).join('、');
    lines.push(
      zh
        ? `暂定：日历 ${result.calendarId} 未载入 ${years} 年节假日安排，该年仅按周末计算；公布后须重新计算`
        : `provisional: ${result.provisionalReason ?? ''}`,
    );
  }
  return lines.join('\n');
}
