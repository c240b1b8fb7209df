/**
 * Generates the payload types and the schema bundle in contracts/src/generated
 * from the schemas in schemas/. With --check, writes nothing and exits 1 when
 * the committed files differ from what the schemas produce.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { format, resolveConfig } from 'prettier';
import { loadSchemaSet, ROOT_SCHEMAS, SCHEMAS_DIR } from '../contracts/src/schema-set';

const OUT_DIR = path.resolve(__dirname, '../contracts/src/generated');
const BANNER = '// Generated from schemas/ by `npm run generate`. Do not edit.\n\n';

async function generateTypes(): Promise<string> {
  const root = {
    title: 'ContractPayloads',
    description: 'Every payload of the running-tasks contracts, by name.',
    type: 'object' as const,
    additionalProperties: false,
    required: Object.keys(ROOT_SCHEMAS),
    properties: Object.fromEntries(
      Object.entries(ROOT_SCHEMAS).map(([name, file]) => [name, { $ref: file }]),
    ),
  };
  const ts = await compile(root, 'ContractPayloads', {
    cwd: SCHEMAS_DIR + path.sep,
    bannerComment: '',
    additionalProperties: true,
    declareExternallyReferenced: true,
    enableConstEnums: false,
    strictIndexSignatures: false,
    format: false,
  });
  return BANNER + ts;
}

async function generateBundle(): Promise<string> {
  const set = await loadSchemaSet();
  const body = JSON.stringify(set, null, 2);
  return `${BANNER}/** The schemas of schemas/, keyed by their path there. */\nexport const SCHEMA_BUNDLE = ${body} as const;\n`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const prettierConfig = (await resolveConfig(path.join(OUT_DIR, 'x.ts'))) ?? {};
  const outputs: Record<string, string> = {
    'payloads.ts': await generateTypes(),
    'schema-bundle.ts': await generateBundle(),
  };

  const stale: string[] = [];
  await mkdir(OUT_DIR, { recursive: true });
  for (const [name, raw] of Object.entries(outputs)) {
    const file = path.join(OUT_DIR, name);
    const text = await format(raw, { ...prettierConfig, filepath: file });
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === text) continue;
    if (check) stale.push(path.relative(process.cwd(), file));
    else await writeFile(file, text);
  }

  if (stale.length > 0) {
    console.error(`Generated files are stale: ${stale.join(', ')}. Run \`npm run generate\`.`);
    process.exit(1);
  }
  console.log(check ? 'Generated files are up to date.' : `Wrote ${OUT_DIR}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
