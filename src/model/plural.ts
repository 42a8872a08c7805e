// Choosing between a message's singular and plural form by the locale's own rules: French puts
// 0 and 1 in the singular ("0 conteneur"), English only 1 ("0 containers").
const rules = new Map<string, Intl.PluralRules>();

/** True when `count` takes the singular ('one') form in `locale`. */
export function isSingular(count: number, locale: string): boolean {
  let r = rules.get(locale);
  if (!r) {
    try {
      r = new Intl.PluralRules(locale);
    } catch {
      r = new Intl.PluralRules('en'); // a locale Intl does not know
    }
    rules.set(locale, r);
  }
  return r.select(count) === 'one';
}

/** The singular or plural message for `count`; both are already translated. */
export function plural<T>(count: number, locale: string, one: T, other: T): T {
  return isSingular(count, locale) ? one : other;
}
