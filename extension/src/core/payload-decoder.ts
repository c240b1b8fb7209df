import {
  compileValidators,
  SCHEMA_BUNDLE,
  type ContractValidators,
  type Diagnostic,
  type V1TaskList,
  type V2TaskList,
} from '@running-tasks/contracts';
import type { ApiVersion } from './backend';
import { BadPayloadError } from './errors';
import { viewOfV1Task, viewOfV2Task, type TaskView } from './task-view';

/** A running list that passed the contract; `warnings` name unknown statuses and the like. */
export interface DecodedTaskList {
  tasks: TaskView[];
  warnings: Diagnostic[];
}

let validators: ContractValidators | undefined;

/**
 * Compiled on first use, not at activation: Ajv compiles the schemas into functions once,
 * which costs tens of milliseconds that a window without this view never has to pay.
 */
function contractValidators(): ContractValidators {
  validators ??= compileValidators(SCHEMA_BUNDLE);
  return validators;
}

/**
 * Parses one running-list message (a GET body or a websocket frame) and checks it against
 * the contract. Throws BadPayloadError with diagnostics when it is not JSON or breaks the
 * contract; an unknown status is legal and comes back as a warning.
 */
export function decodeTaskList(version: ApiVersion, text: string, source: string): DecodedTaskList {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new BadPayloadError(source, [notJson(text)], { cause });
  }

  if (version === 'v1') {
    const result = contractValidators().v1TaskList(data);
    if (!result.valid) throw new BadPayloadError(source, result.diagnostics);
    return { tasks: (data as V1TaskList).map(viewOfV1Task), warnings: result.diagnostics };
  }

  const result = contractValidators().v2TaskList(data);
  if (!result.valid) throw new BadPayloadError(source, result.diagnostics);
  return { tasks: (data as V2TaskList).map(viewOfV2Task), warnings: result.diagnostics };
}

function notJson(text: string): Diagnostic {
  const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return {
    severity: 'error',
    path: '$',
    keyword: 'json',
    message: `not JSON: ${JSON.stringify(preview)}`,
    schemaPath: '',
  };
}
