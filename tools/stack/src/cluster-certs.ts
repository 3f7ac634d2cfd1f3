import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc';

type Say = (line: string) => void;

/** The secrets of the secured test cluster, made once on its first start and kept in its stack dir. */
export interface ClusterSecrets {
  dir: string;
  /** The CA certificate clients trust (KAFKA_SSL_CA_FILE). */
  caPem: string;
  /** PKCS12 keystore (the brokers' key and certificate) and truststore (the CA). */
  keystore: string;
  truststore: string;
  storePassword: string;
  /** The brokers' own SCRAM-SHA-512 user (inter-broker). */
  adminPassword: string;
  /** The services' user: SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN. */
  clientUser: string;
  clientPassword: string;
}

const CLIENT_USER = 'tributary';

function secret(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * A self-signed CA and one broker certificate for 127.0.0.1 / localhost (the three brokers run on
 * this machine and share it), as PKCS12 stores for the brokers and a PEM CA for clients, generated
 * with openssl and keytool on first start; passwords random, in `secrets.json` (mode 600).
 */
export function ensureClusterSecrets(stackDir: string, say: Say): ClusterSecrets {
  const dir = join(stackDir, 'tls');
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ClusterSecrets;
  say('generating a self-signed CA, the broker certificate and SCRAM passwords (first start only)');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (name: string) => join(dir, name);
  const storePassword = secret();
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '3650',
    '-subj',
    '/CN=tributary-test-ca',
  ]);
  run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('broker.key'),
    '-out',
    p('broker.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  writeFileSync(
    p('broker.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  run('openssl', [
    'x509',
    '-req',
    '-in',
    p('broker.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('broker.pem'),
    '-days',
    '3650',
    '-extfile',
    p('broker.ext'),
  ]);
  run('openssl', [
    'pkcs12',
    '-export',
    '-in',
    p('broker.pem'),
    '-inkey',
    p('broker.key'),
    '-certfile',
    p('ca.pem'),
    '-name',
    'broker',
    '-out',
    p('broker.p12'),
    '-passout',
    `pass:${storePassword}`,
  ]);
  run('keytool', [
    '-importcert',
    '-noprompt',
    '-alias',
    'ca',
    '-file',
    p('ca.pem'),
    '-keystore',
    p('truststore.p12'),
    '-storetype',
    'PKCS12',
    '-storepass',
    storePassword,
  ]);
  const secrets: ClusterSecrets = {
    dir,
    caPem: p('ca.pem'),
    keystore: p('broker.p12'),
    truststore: p('truststore.p12'),
    storePassword,
    adminPassword: secret(),
    clientUser: CLIENT_USER,
    clientPassword: secret(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
