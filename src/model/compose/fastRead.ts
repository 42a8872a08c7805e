// A compose file read fast with js-yaml: yaml's parseDocument takes ~100 ms on a 300-service file
// (bench:compose), most of it building a node with its position per value, which only a problem
// needs. js-yaml parses to a flat event stream carrying source offsets, so one pass over it gives
// the keys' positions two levels deep (the services', asked on every load) with no second parse,
// and js-yaml builds the data from the same events.
// The schema is YAML 1.2 core plus merge keys, as yaml's parseDocument(text, { merge: true })
// resolves. Wherever the two readers could still differ this gives way (undefined) and parse.ts
// takes the yaml path, which also places every problem: tags (!reset, !override, !!str),
// directives (%YAML 1.1 turns yaml to 1.1 types), several documents or a "..." line, a byte
// order mark, keys that are empty, collections or aliases, a quoted "<<" key (a merge to Berth's
// yaml path), a __proto__ key, a key over yaml's 1024 characters, a recursive alias, a number
// beyond a double (Infinity to yaml, a string to js-yaml), and all js-yaml refuses (syntax,
// duplicate keys), and aliases that expand past MAX_ALIAS_EXPANSION nodes ("billion laughs": js-yaml
// shares the aliased object, but reading the data then walks every copy). test/unit/composeFastYaml.test.ts
// holds it to the yaml path.
import { CORE_SCHEMA, constructFromEvents, defineScalarTag, EVENT_ID, floatCoreTag, getScalarValue, mergeTag, NOT_RESOLVED, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';

class GiveWay extends Error {}

/** Nodes a file's aliases may expand to; past it parse.ts stops and reports the alias. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** YAML 1.2 core's float, giving way on a literal too large for a double (int refused it too). */
const floatTag = defineScalarTag(floatCoreTag.tagName, {
  implicit: true,
  implicitFirstChars: floatCoreTag.implicitFirstChars,
  resolve(source, isExplicit, tagName) {
    const value = floatCoreTag.resolve(source, isExplicit, tagName);
    if (value === NOT_RESOLVED && Math.abs(Number(source)) === Infinity && !source.includes('Infinity')) throw new GiveWay();
    return value;
  },
  identify: floatCoreTag.identify,
  represent: floatCoreTag.represent,
});

const SCHEMA = CORE_SCHEMA.withTags(mergeTag, floatTag);

/** [start, end) source offsets of keys, by JSON pointer two levels deep ("/services", "/services/web"). */
export type KeyOffsets = Map<string, [number, number]>;

export interface FastRead {
  data: unknown;
  keys: KeyOffsets;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

interface Frame {
  mapping: boolean;
  /** Segments in the pointer; Infinity below a merge key (its keys are the merged source's). */
  depth: number;
  /** Set while depth < 2, where keys are recorded. */
  pointer: string;
  /** The next child is a key (mappings only). */
  expectKey: boolean;
  /** The last key's name, while depth < 1 (its value's pointer is needed). */
  key?: string;
  anchor?: string;
  /** Nodes below, aliases counted as the nodes they stand for. */
  size: number;
}

const DOCUMENT_START: Event = { type: EVENT_ID.DOCUMENT, explicitStart: false, explicitEnd: false, directives: [] };
const POP: Event = { type: EVENT_ID.POP };

/** A plain key as the data names it: `1.0` is "1", `~` is "null" (js-yaml resolves the one event). */
function plainKeyName(text: string, event: ScalarEvent, raw: string): string {
  if (!/^(?:$|[-+.0-9~]|null$|Null$|NULL$|true$|True$|TRUE$|false$|False$|FALSE$)/.test(raw)) return raw;
  return String(constructFromEvents([DOCUMENT_START, event, POP], { source: text, schema: SCHEMA })[0]);
}

/** Checks what the fast read cannot match and records the keys' offsets two levels deep. */
function scan(text: string, events: Event[]): KeyOffsets {
  const keys: KeyOffsets = new Map();
  const stack: Frame[] = [];
  const openAnchors: string[] = [];
  /** Each anchor's size in nodes, to count what an alias to it stands for. */
  const sizes = new Map<string, number>();
  const grow = (n: number) => {
    const top = stack[stack.length - 1];
    if (top) top.size += n;
  };
  let aliased = 0;
  let documents = 0;
  /** The frame for a collection starting at the current event (consumes its parent's slot). */
  const child = (mapping: boolean): Frame => {
    const parent = stack[stack.length - 1];
    if (!parent) return { mapping, depth: 0, pointer: '', expectKey: true, size: 0 };
    if (parent.mapping) {
      if (parent.expectKey) throw new GiveWay(); // a collection as a key
      parent.expectKey = true;
      const depth = parent.key === undefined ? Infinity : parent.depth + 1;
      return { mapping, depth, pointer: depth < 2 ? `${parent.pointer}/${escapePointer(parent.key as string)}` : '', expectKey: true, size: 0 };
    }
    return { mapping, depth: parent.depth + 1, pointer: '', expectKey: true, size: 0 };
  };
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || e.directives.length) throw new GiveWay();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (e.tagStart !== -1) throw new GiveWay();
        const frame = child(e.type === EVENT_ID.MAPPING);
        if (e.anchorStart !== -1) openAnchors.push((frame.anchor = text.slice(e.anchorStart, e.anchorEnd)));
        stack.push(frame);
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break;
        if (frame.anchor !== undefined) {
          openAnchors.pop();
          sizes.set(frame.anchor, frame.size + 1);
        }
        grow(frame.size + 1);
        break;
      }
      case EVENT_ID.ALIAS: {
        const parent = stack[stack.length - 1];
        if (parent?.mapping) {
          if (parent.expectKey) throw new GiveWay();
          parent.expectKey = true;
        }
        const name = text.slice(e.anchorStart, e.anchorEnd);
        if (openAnchors.includes(name)) throw new GiveWay(); // recursive
        const size = sizes.get(name) ?? 1;
        if ((aliased += size) > MAX_ALIAS_EXPANSION) throw new GiveWay();
        grow(size);
        break;
      }
      case EVENT_ID.SCALAR: {
        if (e.tagStart !== -1) throw new GiveWay();
        grow(1);
        const parent = stack[stack.length - 1];
        if (!parent?.mapping) break;
        if (!parent.expectKey) {
          parent.expectKey = true;
          break;
        }
        parent.expectKey = false;
        parent.key = undefined;
        const plain = e.style === SCALAR_STYLE.PLAIN;
        // A plain key on one line is its text as written; others need decoding.
        const slice = plain ? text.slice(e.valueStart, e.valueEnd) : '';
        const raw = plain && !slice.includes('\n') ? slice : getScalarValue(text, e);
        // An empty key has no node on yaml's side to place.
        if (raw === '__proto__' || (!plain && raw === '<<') || (plain && raw === '')) throw new GiveWay();
        // yaml refuses an implicit key whose ':' is over 1024 characters from its start.
        const start = plain ? e.valueStart : e.valueStart - 1;
        if (text.indexOf(':', e.valueEnd) - start > 1024) throw new GiveWay();
        if (parent.depth >= 2 || (plain && raw === '<<')) break;
        const name = plain ? plainKeyName(text, e, raw) : raw;
        if (parent.depth < 1) parent.key = name;
        // yaml's range of a quoted key holds its quotes.
        keys.set(`${parent.pointer}/${escapePointer(name)}`, [start, plain ? e.valueEnd : e.valueEnd + 1]);
        break;
      }
    }
  }
  return keys;
}

/** The file's data and its keys' offsets two levels deep, or undefined to take the yaml path. */
export function readComposeYamlFast(text: string): FastRead | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  // A document end marker before the content is an empty first document to yaml, not to js-yaml.
  if ((text.startsWith('...') || text.includes('\n...')) && /^\.\.\.(?:[ \t\r]|$)/m.test(text)) return undefined;
  try {
    const events = parseEvents(text, {});
    const keys = scan(text, events);
    const documents = constructFromEvents(events, { source: text, schema: SCHEMA });
    return { data: documents.length ? documents[0] : null, keys };
  } catch {
    // js-yaml's own errors (syntax, duplicate keys) and GiveWay alike: yaml's path says where.
    return undefined;
  }
}
