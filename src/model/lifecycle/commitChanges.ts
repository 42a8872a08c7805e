// Commit to Image…'s Dockerfile-style changes ("CMD ["sh"]", "ENV A=1", "EXPOSE 8080/tcp"), checked
// before the engine is asked: the instructions docker commit --change accepts (moby's
// builder/dockerfile validCommitCommands) and the shape of their arguments.

export const COMMIT_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'] as const;

export type ChangeProblem =
  | { kind: 'instruction'; line: string; word: string }
  | { kind: 'noArgument'; line: string; word: string }
  | { kind: 'json'; line: string }
  | { kind: 'pair'; line: string; item: string }
  | { kind: 'port'; line: string; item: string };

function words(rest: string): string[] {
  return rest.split(/\s+/).filter(Boolean);
}

/** The first problem of one change line, or undefined. */
export function changeProblem(line: string): ChangeProblem | undefined {
  const trimmed = line.trim();
  const m = /^(\S+)\s*(.*)$/s.exec(trimmed);
  const word = m?.[1] ?? '';
  const rest = (m?.[2] ?? '').trim();
  if (!(COMMIT_INSTRUCTIONS as readonly string[]).includes(word.toUpperCase())) return { kind: 'instruction', line: trimmed, word };
  if (!rest) return { kind: 'noArgument', line: trimmed, word: word.toUpperCase() };
  const name = word.toUpperCase();
  if (rest.startsWith('[') && ['CMD', 'ENTRYPOINT', 'VOLUME', 'HEALTHCHECK'].includes(name)) {
    try {
      const parsed = JSON.parse(rest) as unknown;
      if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return { kind: 'json', line: trimmed };
    } catch {
      return { kind: 'json', line: trimmed };
    }
  }
  if (name === 'ENV' || name === 'LABEL') {
    // "ENV NAME value" (one pair) or "ENV A=1 B=2".
    const items = words(rest);
    if (items[0].includes('=')) {
      const bad = items.find((i) => !/^[^=\s]+=/.test(i));
      if (bad) return { kind: 'pair', line: trimmed, item: bad };
    } else if (items.length < 2) return { kind: 'pair', line: trimmed, item: items[0] };
  }
  if (name === 'EXPOSE') {
    const bad = words(rest).find((p) => !/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/i.test(p) || Number(p.split(/[-/]/)[0]) > 65535);
    if (bad) return { kind: 'port', line: trimmed, item: bad };
  }
  return undefined;
}
