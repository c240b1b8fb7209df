import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ASYNCAPI_FILE,
  OPENAPI_FILE,
  ROOT_SCHEMAS,
  SCHEMAS_DIR,
  type RootSchemaName,
  type SchemaSet,
} from '@running-tasks/contracts';
import { parse } from 'yaml';
import { ContractUnreadableError } from './errors';

export type ApiVersion = 'v1' | 'v2';

/** One documented answer of an operation (OpenAPI 3.1 §4.8.17 Response Object). */
export interface ResponseModel {
  status: number;
  description: string;
  /** The media types of its `content` map, e.g. `application/json`. */
  mediaTypes: string[];
  /** The root schema its body must match; absent when the response has no body schema. */
  schema?: RootSchemaName;
  /** The schema's `title`, for messages (`V1TaskList`). */
  schemaTitle?: string;
}

export interface HttpRouteModel {
  api: ApiVersion;
  method: 'GET';
  path: string;
  operationId: string;
  /** `GET /api/tasks/running`: how reports name the route. */
  label: string;
  /** The 2xx answer the checks expect when the request is authorised. */
  success: ResponseModel;
  responses: ResponseModel[];
}

export interface WsRouteModel {
  api: ApiVersion;
  channelId: string;
  address: string;
  /** `WS /api/tasks/running/realtime`. */
  label: string;
  messageName: string;
  contentType: string;
  schema: RootSchemaName;
  schemaTitle: string;
  /** The GET route that returns the same list (it shares the payload schema). */
  http: HttpRouteModel;
  /** The property that identifies a task in a snapshot (`id`, `task_id`). */
  idProperty: string;
}

export interface ContractModel {
  openapiFile: string;
  asyncapiFile: string;
  http: HttpRouteModel[];
  ws: WsRouteModel[];
}

export interface ContractFiles {
  openapiFile?: string;
  asyncapiFile?: string;
  schemasDir?: string;
}

type Node = Record<string, unknown>;

const SCHEMA_BY_FILE = new Map<string, RootSchemaName>(
  Object.entries(ROOT_SCHEMAS).map(([name, file]) => [file, name as RootSchemaName]),
);

/**
 * Reads the routes and their schemas from the two contract documents: the
 * GET operations of the OpenAPI `paths` and the channels of the AsyncAPI
 * document. A channel is paired with the GET whose 200 body uses the same
 * schema, which is how the contracts say "this stream carries that list".
 */
export async function loadContractModel(
  schemaSet: SchemaSet,
  files: ContractFiles = {},
): Promise<ContractModel> {
  const openapiFile = files.openapiFile ?? OPENAPI_FILE;
  const asyncapiFile = files.asyncapiFile ?? ASYNCAPI_FILE;
  const schemasDir = files.schemasDir ?? SCHEMAS_DIR;

  const openapi = await readDocument(openapiFile);
  const http = readHttpRoutes(openapi, openapiFile, schemasDir, schemaSet);

  const asyncapi = await readDocument(asyncapiFile);
  const ws = readWsRoutes(asyncapi, asyncapiFile, schemasDir, schemaSet, http);
  return { openapiFile, asyncapiFile, http, ws };
}

/** The routes of one API version, or of both. */
export function selectApi(model: ContractModel, api: ApiVersion | 'all'): ContractModel {
  if (api === 'all') return model;
  return {
    ...model,
    http: model.http.filter((r) => r.api === api),
    ws: model.ws.filter((r) => r.api === api),
  };
}

async function readDocument(file: string): Promise<Node> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ContractUnreadableError(file, '$', 'cannot read the file', { cause });
  }

  const doc: unknown = parse(text);
  if (!isNode(doc)) throw new ContractUnreadableError(file, '$', 'is not a YAML mapping');
  return doc;
}

function readHttpRoutes(
  doc: Node,
  file: string,
  schemasDir: string,
  schemaSet: SchemaSet,
): HttpRouteModel[] {
  const paths = child(doc, 'paths', file, '$');
  const routes: HttpRouteModel[] = [];

  for (const [routePath, item] of Object.entries(paths)) {
    const where = `$.paths["${routePath}"]`;
    if (!isNode(item) || !isNode(item.get)) continue;

    const get = item.get;
    const operationId = stringAt(get, 'operationId', file, `${where}.get`);
    const api = apiOf(get, file, `${where}.get`);
    const responseMap = child(get, 'responses', file, `${where}.get`);

    const responses = Object.entries(responseMap)
      .filter(([status]) => /^[1-5]\d\d$/.test(status))
      .map(([status, raw]) => {
        const at = `${where}.get.responses["${status}"]`;
        const response = resolveLocal(doc, raw, file, at);
        return readResponse(Number(status), response, file, at, schemasDir, schemaSet);
      });

    const success = responses.find((r) => r.status >= 200 && r.status < 300 && r.schema);
    if (!success) {
      throw new ContractUnreadableError(file, where, 'the GET has no 2xx response with a schema');
    }
    routes.push({
      api,
      method: 'GET',
      path: routePath,
      operationId,
      label: `GET ${routePath}`,
      success,
      responses,
    });
  }

  if (routes.length === 0) throw new ContractUnreadableError(file, '$.paths', 'no GET operation');
  return routes;
}

function readResponse(
  status: number,
  response: Node,
  file: string,
  where: string,
  schemasDir: string,
  schemaSet: SchemaSet,
): ResponseModel {
  const description = typeof response.description === 'string' ? response.description : '';
  const content = isNode(response.content) ? response.content : {};
  const mediaTypes = Object.keys(content);

  // Every media type of these operations shares one schema; the first one is read.
  const first = mediaTypes.length > 0 ? content[mediaTypes[0]] : undefined;
  const ref = isNode(first) && isNode(first.schema) ? first.schema.$ref : undefined;
  if (typeof ref !== 'string') return { status, description, mediaTypes };

  const schema = rootSchemaOf(ref, file, `${where}.content.schema`, schemasDir);
  return { status, description, mediaTypes, schema, schemaTitle: titleOf(schemaSet, schema) };
}

function readWsRoutes(
  doc: Node,
  file: string,
  schemasDir: string,
  schemaSet: SchemaSet,
  http: HttpRouteModel[],
): WsRouteModel[] {
  const channels = child(doc, 'channels', file, '$');
  const defaultContentType =
    typeof doc.defaultContentType === 'string' ? doc.defaultContentType : 'application/json';
  const routes: WsRouteModel[] = [];

  for (const [channelId, raw] of Object.entries(channels)) {
    const where = `$.channels.${channelId}`;
    const channel = resolveLocal(doc, raw, file, where);
    const address = stringAt(channel, 'address', file, where);
    const messages = child(channel, 'messages', file, where);

    // The contract gives each channel one message, the snapshot (AsyncAPI 3.0 §3.3.4).
    const [messageKey, messageRef] = Object.entries(messages)[0] ?? [];
    if (messageKey === undefined) throw new ContractUnreadableError(file, where, 'no message');
    const message = resolveLocal(doc, messageRef, file, `${where}.messages.${messageKey}`);

    const schemaRef = payloadRef(message);
    if (schemaRef === undefined) {
      throw new ContractUnreadableError(
        file,
        `${where}.messages.${messageKey}`,
        'payload has no $ref',
      );
    }
    const schema = rootSchemaOf(
      schemaRef,
      file,
      `${where}.messages.${messageKey}.payload`,
      schemasDir,
    );
    const pair = http.find((r) => r.success.schema === schema);
    if (!pair) {
      throw new ContractUnreadableError(file, where, `no GET operation returns ${schema}`);
    }

    routes.push({
      api: pair.api,
      channelId,
      address,
      label: `WS ${address}`,
      messageName: typeof message.name === 'string' ? message.name : messageKey,
      contentType:
        typeof message.contentType === 'string' ? message.contentType : defaultContentType,
      schema,
      schemaTitle: titleOf(schemaSet, schema),
      http: pair,
      idProperty: idPropertyOf(schemaSet, schema, file, where),
    });
  }
  return routes;
}

/**
 * The payload is either a Multi Format Schema Object (`schemaFormat` plus
 * `schema`, AsyncAPI 3.0 §3.3.29) or a plain schema; both end in a `$ref`.
 */
function payloadRef(message: Node): string | undefined {
  const payload = message.payload;
  if (!isNode(payload)) return undefined;
  if (isNode(payload.schema) && typeof payload.schema.$ref === 'string') return payload.schema.$ref;
  return typeof payload.$ref === 'string' ? payload.$ref : undefined;
}

/**
 * Snapshots are compared by the set of task ids. The id is the task's
 * required integer property named `id` or `…_id`; V1 calls it `id`, V2
 * `task_id`.
 */
function idPropertyOf(
  schemaSet: SchemaSet,
  list: RootSchemaName,
  file: string,
  where: string,
): string {
  const listSchema = schemaSet[ROOT_SCHEMAS[list]];
  const itemRef = isNode(listSchema?.items) ? listSchema.items.$ref : undefined;
  const itemFile =
    typeof itemRef === 'string'
      ? path.posix.join(path.posix.dirname(ROOT_SCHEMAS[list]), itemRef)
      : '';
  const item = schemaSet[itemFile];

  const required = Array.isArray(item?.required) ? (item.required as unknown[]) : [];
  const properties = isNode(item?.properties) ? item.properties : {};
  const id = required.find(
    (name): name is string =>
      typeof name === 'string' &&
      (name === 'id' || name.endsWith('_id')) &&
      isNode(properties[name]) &&
      properties[name].type === 'integer',
  );
  if (id === undefined)
    throw new ContractUnreadableError(file, where, `${list} items have no id property`);
  return id;
}

function rootSchemaOf(
  ref: string,
  file: string,
  where: string,
  schemasDir: string,
): RootSchemaName {
  const absolute = path.resolve(path.dirname(file), ref);
  const relative = path.relative(schemasDir, absolute).split(path.sep).join('/');
  const name = SCHEMA_BY_FILE.get(relative);
  if (name === undefined) {
    throw new ContractUnreadableError(file, where, `${ref} is not one of the root schemas`);
  }
  return name;
}

function titleOf(schemaSet: SchemaSet, name: RootSchemaName): string {
  const title = schemaSet[ROOT_SCHEMAS[name] as string]?.title;
  return typeof title === 'string' ? title : name;
}

function apiOf(operation: Node, file: string, where: string): ApiVersion {
  const tags = Array.isArray(operation.tags) ? operation.tags : [];
  const api = tags.find((t): t is ApiVersion => t === 'v1' || t === 'v2');
  if (api === undefined) throw new ContractUnreadableError(file, where, 'no v1 or v2 tag');
  return api;
}

/** Follows a same-document `$ref` (`#/components/...`), as JSON Pointer (RFC 6901). */
function resolveLocal(doc: Node, value: unknown, file: string, where: string): Node {
  let node = value;
  for (let hops = 0; isNode(node) && typeof node.$ref === 'string'; hops++) {
    const ref = node.$ref;
    if (!ref.startsWith('#/') || hops > 16) {
      throw new ContractUnreadableError(file, where, `cannot follow $ref ${ref}`);
    }
    node = ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (isNode(at) ? at[key] : undefined), doc);
  }
  if (!isNode(node)) throw new ContractUnreadableError(file, where, 'is not a mapping');
  return node;
}

function child(node: Node, key: string, file: string, where: string): Node {
  const value = node[key];
  if (!isNode(value)) throw new ContractUnreadableError(file, `${where}.${key}`, 'is missing');
  return value;
}

function stringAt(node: Node, key: string, file: string, where: string): string {
  const value = node[key];
  if (typeof value !== 'string')
    throw new ContractUnreadableError(file, `${where}.${key}`, 'is missing');
  return value;
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
