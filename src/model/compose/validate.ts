// Schema validation with ajv against the vendored Compose Specification schema, reduced to one
// precise problem per place: ajv reports every branch of a oneOf that failed, which would tell a
// user that `ports: [{target: 80, bad: 1}]` is "not a number, not a string, has 'bad'".
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { composeSpecSchema } from './composeSpecSchema';
import type { ComposeProblemCode } from './problems';

let compiled: ValidateFunction | undefined;

/** Compiling the schema costs about 0.4 s once; it happens on first use, not at load. */
function validator(): ValidateFunction {
  if (!compiled) {
    // validateSchema off: the schema names draft-07 by an https URL ajv does not register.
    // strict off: it uses `id` and `deprecated`, which are annotations here.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    compiled = ajv.compile(composeSpecSchema);
  }
  return compiled;
}

export interface SchemaIssue {
  code: ComposeProblemCode;
  params: Record<string, string | number | string[]>;
  /** JSON pointer of the value at fault. */
  pointer: string;
  /** Set when the fault is a key (unknown key): point at the key, not its value. */
  key?: string;
}

const NAMED_SECTIONS = new Set(['/services', '/volumes', '/networks', '/secrets', '/configs']);
const BRANCHING = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', 'not']);

function toIssue(e: ErrorObject): SchemaIssue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      if (NAMED_SECTIONS.has(e.instancePath)) return { code: 'badName', params: { name: key }, pointer: e.instancePath, key };
      return { code: 'unknownKey', params: { key, parent: e.instancePath }, pointer: e.instancePath, key };
    }
    case 'type':
      return { code: 'type', params: { expected: String(p.type).split(',') }, pointer: e.instancePath };
    case 'enum':
      return { code: 'enum', params: { allowed: (p.allowedValues as unknown[]).map(String) }, pointer: e.instancePath };
    case 'required':
      return { code: 'required', params: { key: String(p.missingProperty) }, pointer: e.instancePath };
    default:
      return { code: 'schema', params: { keyword: e.keyword, message: e.message ?? '' }, pointer: e.instancePath };
  }
}

/** Schema problems of one interpolated file, the noise of failed oneOf branches removed. */
export function validateCompose(data: unknown): SchemaIssue[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = (validate.errors ?? []).filter((e) => !BRANCHING.has(e.keyword));
  const issues = errors.map(toIssue);
  const specific = (i: SchemaIssue) => i.code !== 'type';
  // A type error is a branch that did not apply when something more precise was said at the same
  // place or below it.
  const kept = issues.filter(
    (i) => specific(i) || !issues.some((o) => o !== i && (o.pointer.startsWith(`${i.pointer}/`) || (o.pointer === i.pointer && specific(o)))),
  );
  const out: SchemaIssue[] = [];
  for (const i of kept) {
    const same = out.find((o) => o.pointer === i.pointer && o.code === i.code && (i.code === 'type' || JSON.stringify(o.params) === JSON.stringify(i.params)));
    if (!same) out.push(i);
    else if (i.code === 'type') same.params.expected = [...new Set([...(same.params.expected as string[]), ...(i.params.expected as string[])])];
  }
  return out;
}
