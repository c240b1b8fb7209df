import type { ContractValidators } from '@running-tasks/contracts';
import type { HttpRouteModel, ResponseModel } from '../contract-model';
import {
  CHECK_KEYWORDS,
  diagnostic,
  placeDiagnostics,
  type ContractDiagnostic,
} from '../contract-diagnostic';
import { isJsonMediaType, mediaTypeEssence, mediaTypeMatches } from '../media-type';

/** What the checks need of an HTTP answer. */
export interface ResponseFacts {
  status: number;
  contentType: string | undefined;
  /** The body with its content coding undone. */
  body: Buffer;
}

export interface ResponseCheckOptions {
  route: HttpRouteModel;
  /** The check ids the diagnostics are filed under. */
  checks: { status: string; contentType: string; body: string };
  /** The statuses this exchange may answer with; by default every documented one. */
  allowedStatuses?: number[];
}

/** The verdict on one answer, per aspect; `undefined` means the aspect could not be judged. */
export interface ResponseVerdict {
  documented?: ResponseModel;
  status: ContractDiagnostic[];
  contentType?: ContractDiagnostic[];
  contentTypeSkip?: string;
  body: ContractDiagnostic[];
  /** The parsed body, when it was JSON. */
  json?: unknown;
}

/**
 * Judges one HTTP answer against the OpenAPI operation: its status, its
 * `Content-Type` against the documented media types, its body against the
 * documented schema. An error status the operation does not document is
 * still held to the API's error envelope, since that is what clients parse.
 * The contract run and the proxy both call this, so they agree.
 */
export function checkResponse(
  facts: ResponseFacts,
  options: ResponseCheckOptions,
  validators: ContractValidators,
): ResponseVerdict {
  const { route, checks } = options;
  const documented = route.responses.find((r) => r.status === facts.status);
  const allowed = options.allowedStatuses ?? route.responses.map((r) => r.status);

  const status = allowed.includes(facts.status)
    ? []
    : [statusDiagnostic(route, checks.status, facts.status, allowed, documented)];

  if (documented === undefined) {
    const body: { diagnostics: ContractDiagnostic[]; json?: unknown } =
      facts.status >= 400
        ? checkErrorEnvelope(facts, route, checks.body, validators)
        : { diagnostics: [] };
    return {
      status,
      contentTypeSkip: `status ${facts.status} is not documented, so no media type is`,
      body: body.diagnostics,
      json: body.json,
    };
  }

  const contentType = checkContentType(facts, documented, route, checks.contentType);
  const body = checkDocumentedBody(facts, documented, route, checks.body, validators);
  return { documented, status, contentType, body: body.diagnostics, json: body.json };
}

function statusDiagnostic(
  route: HttpRouteModel,
  check: string,
  actual: number,
  allowed: number[],
  documented: ResponseModel | undefined,
): ContractDiagnostic {
  const what = documented
    ? `a documented answer (${documented.description.split('.')[0]}), but not the one expected here`
    : 'not documented for this operation';
  return diagnostic(
    { route: route.label, check, location: 'status' },
    {
      keyword: CHECK_KEYWORDS.STATUS,
      message: `answered ${actual}, ${what}; expected ${allowed.join(' or ')}`,
      expected: allowed.length === 1 ? allowed[0] : allowed,
      actual,
      schemaPath: `${pointerOf(route)}/responses`,
    },
  );
}

function checkContentType(
  facts: ResponseFacts,
  documented: ResponseModel,
  route: HttpRouteModel,
  check: string,
): ContractDiagnostic[] {
  if (documented.mediaTypes.length === 0) return [];

  const essence = mediaTypeEssence(facts.contentType);
  if (essence !== undefined && documented.mediaTypes.some((m) => mediaTypeMatches(essence, m))) {
    return [];
  }
  return [
    diagnostic(
      { route: route.label, check, location: 'header Content-Type' },
      {
        keyword: CHECK_KEYWORDS.CONTENT_TYPE,
        message:
          facts.contentType === undefined
            ? `no Content-Type header; expected ${documented.mediaTypes.join(' or ')}`
            : `Content-Type is ${facts.contentType}; expected ${documented.mediaTypes.join(' or ')}`,
        expected:
          documented.mediaTypes.length === 1 ? documented.mediaTypes[0] : documented.mediaTypes,
        actual: facts.contentType ?? null,
        schemaPath: `${pointerOf(route)}/responses/${documented.status}/content`,
      },
    ),
  ];
}

function checkDocumentedBody(
  facts: ResponseFacts,
  documented: ResponseModel,
  route: HttpRouteModel,
  check: string,
  validators: ContractValidators,
): { diagnostics: ContractDiagnostic[]; json?: unknown } {
  if (documented.schema === undefined) return { diagnostics: [] };

  const where = { route: route.label, check, location: 'body' };
  const parsed = parseJson(facts.body);
  if (!parsed.ok) {
    return { diagnostics: [notJson(where, parsed.error, facts.body, documented.schemaTitle)] };
  }

  const result = validators[documented.schema](parsed.value);
  return { diagnostics: placeDiagnostics(where, result.diagnostics), json: parsed.value };
}

function checkErrorEnvelope(
  facts: ResponseFacts,
  route: HttpRouteModel,
  check: string,
  validators: ContractValidators,
): { diagnostics: ContractDiagnostic[]; json?: unknown } {
  const envelope = errorEnvelopeOf(route);
  if (envelope?.schema === undefined) return { diagnostics: [] };

  const where = { route: route.label, check, location: 'body' };
  const essence = mediaTypeEssence(facts.contentType);
  const parsed = parseJson(facts.body);
  if (!parsed.ok || !isJsonMediaType(essence)) {
    const reason = parsed.ok ? `Content-Type is ${facts.contentType ?? 'missing'}` : parsed.error;
    return { diagnostics: [notJson(where, reason, facts.body, envelope.schemaTitle)] };
  }

  const result = validators[envelope.schema](parsed.value);
  return { diagnostics: placeDiagnostics(where, result.diagnostics), json: parsed.value };
}

/** The documented error answer other than 401: the API's error envelope (6808). */
export function errorEnvelopeOf(route: HttpRouteModel): ResponseModel | undefined {
  return route.responses.find((r) => r.status >= 400 && r.status !== 401 && r.schema);
}

function notJson(
  where: { route: string; check: string; location: string },
  reason: string,
  body: Buffer,
  schemaTitle: string | undefined,
): ContractDiagnostic {
  return diagnostic(where, {
    keyword: CHECK_KEYWORDS.JSON,
    message: `the body is not JSON (${reason}); expected a ${schemaTitle ?? 'JSON'} document`,
    expected: 'JSON',
    actual: body.toString('utf8'),
  });
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(bytes: Buffer | string): JsonParse {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The JSON Pointer of the operation inside the OpenAPI document. */
export function pointerOf(route: HttpRouteModel): string {
  const escaped = route.path.replace(/~/g, '~0').replace(/\//g, '~1');
  return `openapi#/paths/${escaped}/get`;
}
