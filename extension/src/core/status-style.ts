import type { KnownTaskStatus, TaskStatus } from '@running-tasks/contracts';
import type { Translate } from './translate';

/** How a status looks: a codicon id, a theme colour id, and what it means for notifications. */
export interface StatusStyle {
  icon: string;
  color?: string;
  /** The task or stage will not change any more. */
  terminal: boolean;
  /** False for a status this extension has never heard of; it is shown as its raw text. */
  known: boolean;
}

const RUNNING: StatusStyle = {
  icon: 'sync~spin',
  color: 'charts.blue',
  terminal: false,
  known: true,
};
const PENDING: StatusStyle = { icon: 'circle-outline', terminal: false, known: true };
const PAUSED: StatusStyle = {
  icon: 'debug-pause',
  color: 'charts.yellow',
  terminal: false,
  known: true,
};

const STYLES: Record<KnownTaskStatus, StatusStyle> = {
  running: RUNNING,
  prepare: { ...RUNNING, icon: 'loading~spin' },
  created: PENDING,
  queued: { ...PENDING, icon: 'clock' },
  waiting: { ...PENDING, icon: 'clock' },
  blocked: { icon: 'lock', color: 'charts.yellow', terminal: false, known: true },
  pause: PAUSED,
  wait_for_approval: { ...PAUSED, icon: 'person' },
  waitforapprove: { ...PAUSED, icon: 'person' },
  passed: { icon: 'pass', color: 'testing.iconPassed', terminal: true, known: true },
  failed: { icon: 'error', color: 'testing.iconFailed', terminal: true, known: true },
  timeout: { icon: 'watch', color: 'testing.iconFailed', terminal: true, known: true },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground', terminal: true, known: true },
  reject: { icon: 'thumbsdown', color: 'testing.iconFailed', terminal: true, known: true },
  unstable: { icon: 'warning', color: 'charts.orange', terminal: true, known: true },
  skipped: { icon: 'debug-step-over', color: 'disabledForeground', terminal: true, known: true },
  disabled: { icon: 'circle-slash', color: 'disabledForeground', terminal: true, known: true },
};

const UNKNOWN: StatusStyle = { icon: 'question', terminal: false, known: false };

/** The style of a status; an unknown one gets a question mark, never an exception. */
export function statusStyle(status: TaskStatus | undefined): StatusStyle {
  if (status === undefined) return PENDING;
  return Object.hasOwn(STYLES, status) ? STYLES[status as KnownTaskStatus] : UNKNOWN;
}

/** The status as the user reads it: translated when known, the raw text when not. */
export function statusLabel(status: TaskStatus, t: Translate): string {
  switch (status as KnownTaskStatus) {
    case 'created':
      return t('created');
    case 'running':
      return t('running');
    case 'passed':
      return t('passed');
    case 'failed':
      return t('failed');
    case 'timeout':
      return t('timed out');
    case 'cancelled':
      return t('cancelled');
    case 'waiting':
      return t('waiting');
    case 'blocked':
      return t('blocked');
    case 'queued':
      return t('queued');
    case 'skipped':
      return t('skipped');
    case 'disabled':
      return t('disabled');
    case 'prepare':
      return t('preparing');
    case 'reject':
      return t('rejected');
    case 'pause':
      return t('paused');
    case 'unstable':
      return t('unstable');
    case 'wait_for_approval':
    case 'waitforapprove':
      return t('waiting for approval');
    default:
      return status;
  }
}
