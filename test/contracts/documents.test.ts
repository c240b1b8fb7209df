import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Parser, fromFile } from '@asyncapi/parser';
import Ajv from 'ajv';
import type { OpenAPIV3_1 } from 'openapi-types';
import {
  ASYNCAPI_FILE,
  compileValidators,
  loadSchemaSet,
  OPENAPI_FILE,
  SCHEMA_BUNDLE,
} from '@running-tasks/contracts';
import { pageExamples } from '../helpers/page-examples';

type Doc = OpenAPIV3_1.Document;

function exampleOf(doc: Doc, route: string, status: string, name: string): unknown {
  const response = doc.paths?.[route]?.get?.responses?.[status] as OpenAPIV3_1.ResponseObject;
  const example = response.content?.['application/json']?.examples?.[
    name
  ] as OpenAPIV3_1.ExampleObject;
  return example.value;
}

describe('contract documents', () => {
  it('the OpenAPI document is valid OpenAPI 3.1 with both running-list routes', async () => {
    const doc = (await SwaggerParser.validate(OPENAPI_FILE)) as Doc;
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(Object.keys(doc.paths ?? {}).sort(), [
      '/api/tasks/running',
      '/api/v2/tasks/running',
    ]);
  });

  it('carries the page examples verbatim as the named example "page"', async () => {
    const doc = (await SwaggerParser.dereference(OPENAPI_FILE)) as Doc;
    const page = pageExamples();
    assert.deepEqual(exampleOf(doc, '/api/tasks/running', '200', 'page'), page.v1);
    assert.deepEqual(exampleOf(doc, '/api/v2/tasks/running', '200', 'page'), page.v2);
    assert.deepEqual(exampleOf(doc, '/api/tasks/running', '400', 'page'), {
      message: 'List Running Tasks Error',
      code: '6808',
      description: 'error details',
    });
  });

  it('every example in the OpenAPI document validates against its schema', async () => {
    const doc = (await SwaggerParser.dereference(OPENAPI_FILE)) as Doc;
    const v = compileValidators(await loadSchemaSet());
    for (const route of ['/api/tasks/running', '/api/v2/tasks/running']) {
      const list = route.includes('v2') ? v.v2TaskList : v.v1TaskList;
      for (const name of ['page', 'empty']) {
        assert.deepEqual(
          list(exampleOf(doc, route, '200', name)).diagnostics,
          [],
          `${route} ${name}`,
        );
      }
      assert.equal(v.apiError(exampleOf(doc, route, '400', 'page')).valid, true);
      assert.equal(v.authError(exampleOf(doc, route, '401', 'authFailed')).valid, true);
    }
  });

  it('the AsyncAPI document parses with no errors and describes both websocket routes', async () => {
    const { document, diagnostics } = await fromFile(new Parser(), ASYNCAPI_FILE).parse();
    // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    const errors = diagnostics.filter((d) => Number(d.severity) === 0);
    assert.deepEqual(
      errors.map((d) => `${d.path.join('.')}: ${d.message}`),
      [],
    );
    assert.ok(document);
    const addresses = document
      .channels()
      .all()
      .map((c) => c.address())
      .sort();
    assert.deepEqual(addresses, ['/api/tasks/running/realtime', '/api/v2/tasks/ws/running']);
  });

  it('the AsyncAPI messages carry the same list schemas as the HTTP responses', async () => {
    const { document } = await fromFile(new Parser(), ASYNCAPI_FILE).parse();
    const page = pageExamples();
    const schemas: Record<string, Record<string, unknown>> = Object.fromEntries(
      document!
        .messages()
        .all()
        .map((m): [string, Record<string, unknown>] => [
          m.name() ?? '',
          (m.payload()?.json() as { schema: Record<string, unknown> }).schema,
        ]),
    );
    // The parser resolved the $ref into the schemas/ file the OpenAPI document uses too.
    assert.equal(schemas.V1Snapshot?.title, 'V1TaskList');
    assert.equal(schemas.V2Snapshot?.title, 'V2TaskList');

    // Validated as the payload's declared draft-07, the page examples pass and a broken list fails.
    const ajv = new Ajv({ strict: false });
    const v1 = ajv.compile(schemas.V1Snapshot);
    const v2 = ajv.compile(schemas.V2Snapshot);
    assert.equal(v1(page.v1), true);
    assert.equal(v2(page.v2), true);
    assert.equal(v1(page.v2), false);
  });

  it('the generated schema bundle matches the schema files', async () => {
    assert.deepEqual(JSON.parse(JSON.stringify(SCHEMA_BUNDLE)), await loadSchemaSet());
  });
});
