// Entry of dist/compose.js, the second bundle: yaml, ajv and the Compose schema weigh ~300 KB,
// which the extension only pays for on first use of the Compose view or a Compose command
// (src/ui/composeModule.ts requires this bundle then). Code outside it imports these modules
// as types only, so none of them lands in dist/extension.js (test/unit/bundle.test.ts checks).
export { loadComposeProject, enabledServices, blockingProblems } from './project';
export { detectComposeProgram, composeEnvironment, composeInvocation, needsTrust } from './program';
export { parseReplicaCount, needsPortPlan, planScalePorts, rewriteFileForScale, replicaEntry, MAX_REPLICAS } from './scale';
export { upPortConflicts, startedServices } from './upPorts';
export { DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES } from './discovery';
export { composeFailure } from './failure';
export { programRefusals } from './programSupport';
export { planDown } from './down';
export { cursorContext, keyAt, keysAt, valuesAt, describeKey, namedRefs, refAt, composeOutline, undefinedServiceRefs, undefinedServiceNames } from './language';
export { parseComposeFileWithPositions } from './parse';
export { interpolate } from './interpolate';
