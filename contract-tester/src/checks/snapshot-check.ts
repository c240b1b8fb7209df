import { observed, skipped, type CheckOutcome } from '../check-result';
import type { WsRouteModel } from '../contract-model';
import {
  CHECK_KEYWORDS,
  diagnostic,
  foldAcrossMessages,
  type ContractDiagnostic,
} from '../contract-diagnostic';
import { idsOf, sameIds, type ListSample } from '../snapshot-sampler';
import type { StreamRecord } from '../ws-watch';
import { parseJson } from './response-check';

export const SNAPSHOTS_CHECK = 'ws.snapshots';

/**
 * The AsyncAPI document says every message is a full snapshot, "the same
 * JSON array that the matching HTTP GET returns at the same moment". The
 * list changes while the stream is watched, so a message is held to the
 * GETs taken within `windowMs` of it: it passes when its set of task ids
 * equals the set of any of them. A diff (only the changed tasks) or a stale
 * list fails. Messages that are not a list of tasks are left to
 * `ws.messages`.
 */
export function judgeSnapshots(
  route: WsRouteModel,
  record: StreamRecord,
  samples: readonly ListSample[],
  windowMs: number,
): CheckOutcome {
  const usable = samples.filter((s) => s.ids !== undefined);
  if (record.frames.length === 0) return skipped('no message arrived');
  if (usable.length === 0) {
    const why = samples.find((s) => s.error)?.error ?? 'no GET was taken';
    return skipped(`no GET of ${route.http.label} to compare with (${why})`);
  }

  const found: { index: number; diagnostics: ContractDiagnostic[] }[] = [];
  let judged = 0;
  let unjudged = 0;

  for (const frame of record.frames) {
    const parsed = frame.isBinary ? undefined : parseJson(frame.data);
    const ids = parsed?.ok ? idsOf(parsed.value, route.idProperty) : undefined;
    if (!ids) continue;

    const near = usable.filter(
      (s) => frame.at >= s.startedAt - windowMs && frame.at <= s.endedAt + windowMs,
    );
    if (near.length === 0) {
      unjudged++;
      continue;
    }

    judged++;
    if (near.some((s) => s.ids && sameIds(s.ids, ids))) continue;
    const diagnostics = [mismatch(route, frame.index, ids, nearest(near, frame.at), windowMs)];
    found.push({ index: frame.index, diagnostics });
  }

  const notes = [
    `${judged} message${judged === 1 ? '' : 's'} compared with ${usable.length} GETs (window ±${windowMs} ms)`,
  ];
  if (unjudged > 0) notes.push(`${unjudged} messages had no GET within the window`);
  if (judged === 0) return skipped('no message had a GET within the window', notes);
  return observed(foldAcrossMessages(found), ...notes);
}

function nearest(samples: ListSample[], at: number): ListSample {
  const distance = (s: ListSample) =>
    at < s.startedAt ? s.startedAt - at : Math.max(0, at - s.endedAt);
  return samples.reduce((best, s) => (distance(s) < distance(best) ? s : best));
}

function mismatch(
  route: WsRouteModel,
  index: number,
  ids: Set<unknown>,
  sample: ListSample,
  windowMs: number,
): ContractDiagnostic {
  const expected = [...(sample.ids ?? [])];
  const actual = [...ids];
  const missing = expected.filter((id) => !ids.has(id));
  const extra = actual.filter((id) => !sample.ids?.has(id));

  const parts: string[] = [];
  if (missing.length > 0) parts.push(`lacks ${listIds(missing)}`);
  if (extra.length > 0) parts.push(`has ${listIds(extra)} that the GET does not`);

  return diagnostic(
    { route: route.label, check: SNAPSHOTS_CHECK, location: `message #${index}` },
    {
      keyword: CHECK_KEYWORDS.SNAPSHOT,
      message: `not the full list: ${parts.join(' and ')} (${route.idProperty}s, compared with every GET within ±${windowMs} ms)`,
      expected,
      actual,
      path: '$',
      schemaPath: `asyncapi#/channels/${route.channelId}`,
    },
  );
}

function listIds(ids: unknown[]): string {
  return ids.map((id) => JSON.stringify(id)).join(', ');
}
