import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@sped/platform';
import { mintToken, resolveSecret, ROLES, type Role } from '../auth/auth.js';

/** Mints a development token signed with the secret in DATA_DIR (or JWT_SECRET). */
async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      provider: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) {
    process.stderr.write(`usage: npm run token -- --role <${ROLES.join('|')}> [--provider <providerId>] [--sub <userId>] [--ttl 8h]\n`);
    process.exit(2);
  }
  if (['clerk', 'head', 'executor', 'director'].includes(role) && !values.provider) {
    process.stderr.write(`A ${role} acts for one provider: add --provider <providerId>.\n`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config.jwtJwksUrl) {
    process.stderr.write('JWT_JWKS_URL is set: tokens come from your identity provider, not from this tool.\n');
    process.exit(2);
  }
  const { secret } = resolveSecret(config);
  const sub = values.sub ?? `${role}-${values.provider ?? 'all'}`;
  process.stdout.write((await mintToken(secret, { sub, role, providerId: values.provider ?? null, name: values.name, ttl: values.ttl }, config)) + '\n');
}

void main();
