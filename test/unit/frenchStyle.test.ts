// Scans every French string (l10n bundle and manifest) for the slips a French reader notices:
// plural agreement with counts, ASCII apostrophes, missing no-break spaces, English state words,
// missing accents; and the source for colons glued to translated text. Each finding names the
// file, the key and what is wrong, so strings added on other branches can be fixed at merge.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const FILES = ['l10n/bundle.l10n.fr.json', 'package.nls.fr.json'];

/** Text a French sentence quotes verbatim (English messages, code, commands): not checked for words. */
function prose(text: string): string {
  return text
    .replace(/«[^»]*»/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\[[^\]]*\]\(command:[^)]*\)/g, (link) => link.replace(/\(command:[^)]*\)/, ''))
    .replace(/\b[a-z]+:\/\/\S*/g, ' ')
    .replace(/\S*[./=_]\S*[a-z]\S*/g, ' ')
    .replace(/[\w-]+-[\w-]+/g, ' '); // unless-stopped, on-failure: option values
}

// Container, task and node states as the engine writes them. (Swarm's "worker" and "leader" are
// kept in French, as Docker's French documentation does.)
const ENGLISH_STATES = ['running', 'exited', 'stopped', 'paused', 'created', 'restarting', 'removing', 'dead', 'ready', 'reachable', 'unreachable', 'healthy', 'unhealthy', 'starting', 'pending', 'complete', 'completed', 'failed', 'shutdown', 'rejected', 'drain', 'active', 'unknown', 'disconnected'];

// Messages whose count is never 0 or 1, so they need no singular form: key → why.
const COUNT_ABOVE_ONE: Record<string, string> = {
  'At most {0} replicas: Berth refuses more as a likely typo.': '{0} is the upper limit (100)',
  '{0}: only the first {1} of its {2} ports are carried.': 'shown only when a container has more ports than the limit',
  'The claim {0} is ReadWriteOnce but used by {1} pods: pods on different nodes need a ReadWriteMany storage class.': 'said only when 2 or more pods share the claim',
  'Resource Usage: {0} containers': 'one container is named instead ("Resource Usage: {0}")',
  'Remove {0} services: {1}?': 'one service is named instead ("Remove service {0}?")',
  '{0} images are in use: {1}.': 'one image is named instead ("Image {0} is used by {1}.")',
  '{0} publishes a fixed host port, which {1} replicas cannot share: the first replica keeps the file’s port ({2}), and each replica Berth adds gets its own: {3}.': 'said only when scaling to 2 or more',
  'The alias *{0} and those inside it expand to more than {1} values: Berth stops reading this file here.': '{1} is the bound (100,000)',
  'The tag is {0} characters long; Docker allows 128.': 'said only above 128',
  'The repository name is {0} characters long; Docker allows 255.': 'said only above 255',
};

// Common words written without their accent: the wrong spelling → the right one.
const ACCENTS: Record<string, string> = {
  hote: 'hôte', hotes: 'hôtes', tache: 'tâche', taches: 'tâches', reseau: 'réseau', reseaux: 'réseaux', cree: 'crée or créé', creee: 'créée', crees: 'crées or créés', creer: 'créer', etat: 'état', etats: 'états',
  deja: 'déjà', acces: 'accès', numero: 'numéro', depot: 'dépôt', regle: 'règle', systeme: 'système', echec: 'échec', echoue: 'échoue or échoué', probleme: 'problème', arrete: 'arrête or arrêté', arreter: 'arrêter',
  demarre: 'démarre or démarré', demarrer: 'démarrer', parametre: 'paramètre', parametres: 'paramètres', donnees: 'données', ete: 'été', etre: 'être', meme: 'même', controle: 'contrôle', repertoire: 'répertoire',
  execution: 'exécution', executer: 'exécuter', modele: 'modèle', cles: 'clés', replique: 'réplique', repliques: 'répliques', fenetre: 'fenêtre', elements: 'éléments',
};

// One word for one thing: Berth says "réplique", never "réplica".
const TERMS: Record<string, string> = { réplica: 'réplique', réplicas: 'répliques' };

// Words ending in s or x that are not plural nouns after a count.
const NOT_PLURAL = new Set(['fois', 'sous', 'dans', 'plus', 'moins', 'pas', 'sans', 'vers', 'depuis', 'apres', 'après', 'très', 'alors', 'mais', 'jours', 'ans']);

export interface Slip {
  file: string;
  key: string;
  problem: string;
}

/** Every slip in one set of French strings. `all` is the whole bundle, to find a count's singular form. */
export function frenchSlips(file: string, strings: Record<string, string>): Slip[] {
  const slips: Slip[] = [];
  const texts = Object.entries(strings);
  for (const [key, text] of texts) {
    const add = (problem: string) => slips.push({ file, key, problem });
    for (const m of text.matchAll(/\p{L}'(?=[\p{L}{])/gu)) add(`ASCII apostrophe in "${around(text, m.index ?? 0)}": write ’ (U+2019)`);
    for (const m of text.matchAll(/(?<![\u00a0\u202f])[:;?!](?=[\s»)]|$)/g)) add(`"${around(text, m.index ?? 0)}": put a no-break space (U+00A0) before "${m[0]}"`);
    for (const m of text.matchAll(/«(?!\u00a0)|(?<!\u00a0)»/g)) add(`"${around(text, m.index ?? 0)}": put a no-break space (U+00A0) inside « »`);
    for (const w of new Set(prose(text).toLowerCase().match(/\p{L}+/gu) ?? [])) if (ENGLISH_STATES.includes(w)) add(`the English state word "${w}" is left in French`);
    // Accents are checked in addresses too ("tcp://hote:2376"): their placeholders are French words.
    for (const w of new Set(text.replace(/«[^»]*»|`[^`]*`/g, ' ').toLowerCase().match(/\p{L}+/gu) ?? [])) {
      if (ACCENTS[w]) add(`"${w}" lacks its accent: write "${ACCENTS[w]}"`);
      if (TERMS[w]) add(`"${w}": Berth's French says "${TERMS[w]}"`);
    }
    if (COUNT_ABOVE_ONE[key]) continue;
    for (const m of text.matchAll(/\{(\d+)\}\s+(\p{L}+)/gu)) {
      const noun = m[2];
      // A count: the English puts a plural word after the same placeholder ("{1} entries").
      if (!new RegExp(`\\{${m[1]}\\}( of \\{\\d+\\})? [a-z]{2,}s\\b`).test(key)) continue;
      if (!/[sx]$/.test(noun) || noun.length < 4 || NOT_PLURAL.has(noun.toLowerCase())) continue;
      const one = noun.replace(/(aux|x|s)$/, (e) => (e === 'aux' ? 'al' : ''));
      const singular = new RegExp(`(^|[^\\p{L}])(${one}|${noun.slice(0, -1)})(?!\\p{L})`, 'iu');
      const counterpart = texts.some(([k, t]) => k !== key && singular.test(t) && sameWords(k, key));
      if (!counterpart) add(`"{${m[1]}} ${noun}" has no singular message for a count of 0 or 1 (add one, such as "1 ${one}", and choose it with plural(), which makes 0 singular in French)`);
    }
  }
  return slips;
}

/** English keys of the same message in its singular and plural forms share most of their words. */
function sameWords(a: string, b: string): boolean {
  // A key made with a comment is "message/comment": only the message counts.
  const message = (s: string) => s.replace(/\/[^/{]* [^/{]*$/, '');
  const words = (s: string) => new Set((message(s).toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => !['is', 'are', 'was', 'were', 'it', 'its', 'their', 'they', 'them', 'this', 'these', 'that', 'those', 'has', 'have'].includes(w)).map((w) => w.replace(/ies$/, 'y').replace(/s$/, '')));
  const [x, y] = [words(a), words(b)];
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / Math.max(x.size, y.size, 1) >= 0.6;
}

function around(text: string, at: number): string {
  return text.slice(Math.max(0, at - 20), at + 5).replace(/\n/g, '\\n');
}

/** Colons glued to translated text in code ("**Moteur Berth**:"): French needs its no-break space. */
export function gluedColons(file: string, source: string): Slip[] {
  const slips: Slip[] = [];
  source.split('\n').forEach((line, i) => {
    if (/l10n\.t\((?:[^()]|\([^()]*\))*\)\)?\}(\*\*)?:|\? ':'/.test(line)) slips.push({ file, key: `line ${i + 1}`, problem: `a ":" follows translated text in code: use field() (or put the colon in the message) so French gets its no-break space` });
  });
  return slips;
}

const report = (slips: Slip[]) => slips.map((s) => `${s.file} ${JSON.stringify(s.key)}: ${s.problem}`).join('\n');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('French style', () => {
  it('no French string has a plural, apostrophe, no-break space, English state word or accent slip', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(root, FILES[0]), 'utf8')) as Record<string, string>;
    const manifest = JSON.parse(fs.readFileSync(path.join(root, FILES[1]), 'utf8')) as Record<string, string>;
    const slips = [...frenchSlips(FILES[0], bundle), ...frenchSlips(FILES[1], manifest)];
    assert.equal(slips.length, 0, `French slips (file, key, what is wrong):\n${report(slips)}`);
  });

  it('no source file glues a colon to translated text', () => {
    const slips = sourceFiles(path.join(root, 'src')).flatMap((p) => gluedColons(path.relative(root, p), fs.readFileSync(p, 'utf8')));
    assert.equal(slips.length, 0, report(slips));
  });

  it('finds each slip the French review reported', () => {
    const old: Record<string, [string, RegExp]> = {
      'Compose project {0}: {1} of {2} containers running': ['Projet Compose {0}\u00a0: {1} conteneurs sur {2} en cours d’exécution', /"\{1\} conteneurs" has no singular message/],
      ready: ['ready', /English state word "ready"/],
      'Node {0}': ['Nœud {0}, manager, active, reachable', /English state word "reachable"/],
      'config.engine.host': ['tcp://x:2376 ou ssh://utilisateur@hote.', /"hote" lacks its accent/],
      'Arrêtez et supprimez': ['Arrêtez et supprimez d\'abord ces conteneurs.', /ASCII apostrophe in .*d'abo.*write ’/],
      'Time:': ['Heure:', /no-break space .* before ":"/],
      'The tag': ['L’étiquette «\u00a0{0}» n’est pas valide', /inside « »/],
      'Tasks {0}': ['Ses {0} taches en cours', /"taches" lacks its accent: write "tâches"/],
      'Number of replicas': ['Nombre de réplicas', /"réplicas": Berth's French says "répliques"/],
    };
    for (const [key, [text, want]] of Object.entries(old)) {
      const found = frenchSlips('old.json', { [key]: text });
      assert.ok(found.some((s) => s.key === key && want.test(s.problem)), `not found in ${JSON.stringify(text)}: ${want}; got ${report(found)}`);
    }
    const colon = gluedColons('engineStatusBar.ts', "md.appendMarkdown(`**${vscode.l10n.t('Berth engine')}**: ${name}`);");
    assert.match(report(colon), /engineStatusBar\.ts "line 1": a ":" follows translated text/);
    // A count with its singular form, a quoted English message, code: no slip.
    const fine = { 'used by {0} containers': 'utilisé par {0} conteneurs', 'used by 1 container': 'utilisé par 1 conteneur', q: 'échoue avec «\u00a0port is already allocated\u00a0»\u00a0: voir `sh -c \'…\'`' };
    assert.deepEqual(frenchSlips('fine.json', fine), []);
  });
});
