// What can go wrong reading a Compose project, as codes with parameters: the UI words them (in
// English and French); the model never returns sentences.

export type ComposeProblemCode =
  /** The project's folder is gone (deleted, renamed, unmounted). params: folder */
  | 'folderMissing'
  /** No compose file in the folder and no COMPOSE_FILE. params: folder */
  | 'noComposeFile'
  /** A file named by COMPOSE_FILE or added by the user does not exist. params: file */
  | 'fileMissing'
  /** Not YAML. params: yamlCode (the yaml library's code), message (its English text, for logs) */
  | 'yamlSyntax'
  /** Aliases that expand past a bound ("billion laughs"); reading stops. params: alias, limit */
  | 'aliasExpansion'
  /** The file's top level is not a mapping. */
  | 'notMapping'
  /** A key the schema does not allow. params: key, parent (the JSON pointer of the mapping) */
  | 'unknownKey'
  /** Wrong type. params: expected (list of JSON schema types) */
  | 'type'
  /** Not one of the allowed values. params: allowed */
  | 'enum'
  /** A required key is missing. params: key */
  | 'required'
  /** A service, volume or network name with characters Compose refuses. params: name */
  | 'badName'
  /** Any other schema rule. params: keyword, message (ajv's English text, for logs) */
  | 'schema'
  /** ${VAR:?msg} or ${VAR?msg} with VAR unset (or empty for :?). params: variable, message */
  | 'variableRequired'
  /** A malformed ${...}. params: text */
  | 'badInterpolation'
  /** A .env line Compose cannot read. params: text */
  | 'envFileSyntax'
  /** The project name would be empty. params: folder */
  | 'projectNameEmpty'
  /** COMPOSE_PROJECT_NAME or name: is not a valid project name. params: name */
  | 'projectNameInvalid'
  /** A ports entry Berth cannot read. params: port, problem */
  | 'portSyntax'
  /** A replica count that is not an integer from min to max. params: text, min, max */
  | 'replicaCount';

/** 1-based line and column, as editors count them. */
export interface ComposePosition {
  line: number;
  column: number;
}

export interface ComposeProblem {
  code: ComposeProblemCode;
  params: Record<string, string | number | string[]>;
  /** Absolute path of the file the problem is in, when it is in one. */
  file?: string;
  start?: ComposePosition;
  end?: ComposePosition;
}

export class ComposeError extends Error {
  constructor(readonly problem: ComposeProblem) {
    super(`${problem.code} ${JSON.stringify(problem.params)}${problem.file ? ` in ${problem.file}` : ''}`);
  }
}
