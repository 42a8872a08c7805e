// Masks environment values whose names look secret, wherever Berth shows them.

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE)/i;
export const MASK = '••••••';

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** ["A=1", "DB_PASSWORD=x"] -> ["A=1", "DB_PASSWORD=••••••"] */
export function maskEnv(env: readonly string[]): string[] {
  return env.map((entry) => {
    const eq = entry.indexOf('=');
    if (eq < 0) return entry;
    const name = entry.slice(0, eq);
    return looksSecret(name) && entry.length > eq + 1 ? `${name}=${MASK}` : entry;
  });
}

/** A copy of an inspect payload with Config.Env masked. */
export function maskInspect<T>(payload: T): T {
  const copy = JSON.parse(JSON.stringify(payload)) as { Config?: { Env?: string[] | null }; ContainerConfig?: { Env?: string[] | null } };
  for (const cfg of [copy.Config, copy.ContainerConfig]) if (cfg?.Env) cfg.Env = maskEnv(cfg.Env);
  return copy as T;
}
