/** The shape of a scenario.yaml, checked before anything in it is used. */
export const SCENARIO_FILE_SCHEMA = {
  type: 'object',
  required: ['name', 'duration'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    duration: { type: 'number', exclusiveMinimum: 0, description: 'Seconds in one pass.' },
    loop: { type: 'boolean' },
    renumber: { type: 'integer', minimum: 0 },
    v1: { type: 'array', items: { $ref: '#/$defs/track' } },
    v2: { type: 'array', items: { $ref: '#/$defs/track' } },
  },
  $defs: {
    track: {
      type: 'object',
      required: ['fixture', 'enter'],
      additionalProperties: false,
      properties: {
        fixture: { type: 'string', minLength: 1 },
        enter: { type: 'number', minimum: 0 },
        leave: { type: 'number', exclusiveMinimum: 0 },
        changes: { type: 'array', items: { $ref: '#/$defs/change' } },
      },
    },
    change: {
      type: 'object',
      required: ['at', 'set'],
      additionalProperties: false,
      properties: {
        at: { type: 'number', minimum: 0 },
        set: { type: 'object', minProperties: 1 },
      },
    },
  },
} as const;

export interface ScenarioFile {
  name: string;
  description?: string;
  duration: number;
  loop?: boolean;
  renumber?: number;
  v1?: TrackFile[];
  v2?: TrackFile[];
}

export interface TrackFile {
  fixture: string;
  enter: number;
  leave?: number;
  changes?: { at: number; set: Record<string, unknown> }[];
}
