import type { ContractValidators } from '@running-tasks/contracts';
import { observed, skipped, type CheckOutcome } from '../check-result';
import type { WsRouteModel } from '../contract-model';
import {
  CHECK_KEYWORDS,
  diagnostic,
  foldAcrossMessages,
  placeDiagnostics,
  type ContractDiagnostic,
} from '../contract-diagnostic';
import type { StreamFrame, StreamRecord } from '../ws-watch';
import { parseJson } from './response-check';

export const MESSAGES_CHECK = 'ws.messages';

/**
 * Judges one message against the channel's message: a text frame (the
 * contract's content type is JSON, and one text frame carries one
 * snapshot), valid JSON, valid against the payload schema. The proxy calls
 * this for every frame it relays.
 */
export function checkMessage(
  route: WsRouteModel,
  frame: Pick<StreamFrame, 'index' | 'isBinary' | 'data'>,
  validators: ContractValidators,
  check = MESSAGES_CHECK,
): { diagnostics: ContractDiagnostic[]; json?: unknown } {
  const where = { route: route.label, check, location: `message #${frame.index}` };

  if (frame.isBinary) {
    const found = diagnostic(where, {
      keyword: CHECK_KEYWORDS.FRAME_TYPE,
      message: `a binary message of ${frame.data.length} bytes; ${route.messageName} is JSON (${route.contentType}) in a text frame`,
      expected: 'text',
      actual: 'binary',
    });
    return { diagnostics: [found] };
  }

  const parsed = parseJson(frame.data);
  if (!parsed.ok) {
    const found = diagnostic(where, {
      keyword: CHECK_KEYWORDS.JSON,
      message: `the message is not JSON (${parsed.error}); expected a ${route.schemaTitle}`,
      expected: 'JSON',
      actual: frame.data.toString('utf8'),
    });
    return { diagnostics: [found] };
  }

  const result = validators[route.schema](parsed.value);
  return { diagnostics: placeDiagnostics(where, result.diagnostics), json: parsed.value };
}

/**
 * Every message of a watched stream, with repeats folded into one diagnostic listing its messages.
 */
export function checkMessages(
  route: WsRouteModel,
  record: StreamRecord,
  validators: ContractValidators,
): CheckOutcome {
  if (record.frames.length === 0) return skipped('no message arrived');

  const perMessage = record.frames.map((frame) => ({
    index: frame.index,
    diagnostics: checkMessage(route, frame, validators).diagnostics,
  }));
  const count = record.frames.length;
  const note = `${count} message${count === 1 ? '' : 's'} in ${Math.round(record.watchedMs)} ms`;
  return observed(foldAcrossMessages(perMessage), note);
}
