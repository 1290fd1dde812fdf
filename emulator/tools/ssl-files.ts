/**
 * `sam local start-api --ssl-cert-file PATH --ssl-key-file PATH` (aws-sam-cli samcli/commands/local/start_api/cli.py):
 * the PEM certificate and key its ports serve HTTPS with. Checked as the SAM CLI checks them, with its words: the two
 * together or neither (click_mutex.ClickMutex), each an existing readable file (click.Path(exists=True)), the pair
 * one that TLS can serve (Flask's ssl_context; an ssl.SSLError is its usage error "SSL Error: ...").
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { UsageError } from './args.js';

/** The two options for node:util's parseArgs (start-api only: sam local start-lambda has neither). */
export const SSL_OPTIONS = {
  'ssl-cert-file': { type: 'string' },
  'ssl-key-file': { type: 'string' },
} as const;

export const SSL_USAGE = `  --ssl-cert-file <cert.pem>    with --ssl-key-file, as sam local start-api: the APIs' ports answer HTTPS with this
                                PEM certificate (its chain may follow it) and print https:// URLs; they still
                                answer plain HTTP too (samconfig.toml: ssl_cert_file)
  --ssl-key-file <key.pem>      the certificate's PEM private key, unencrypted (samconfig.toml: ssl_key_file)`;

/** Python's repr() of a path, as click quotes one in its messages: 'a.pem', "it's.pem". */
function pythonRepr(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  if (text.includes("'") && !text.includes('"')) return `"${escaped}"`;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

/** The file's text, or click.Path(exists=True)'s message for a path that does not exist or cannot be read. */
function readPath(option: keyof typeof SSL_OPTIONS, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`Invalid value for '--${option}': Path ${pythonRepr(path)} does not exist.`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`Invalid value for '--${option}': Path ${pythonRepr(path)} is not readable.`);
    // A folder passes click's check (dir_okay) and fails only when the server loads it: an SSL error, as in SAM.
    throw new UsageError(`SSL Error: --${option} ${path}: ${code === 'EISDIR' ? 'is a folder, not a PEM file' : `cannot be read (${code ?? (error as Error).message})`}`);
  }
}

/** A check that throws node's OpenSSL error, as the SAM CLI's "SSL Error: <reason>" usage error. */
function sslCheck(check: () => unknown, what: string): void {
  try {
    check();
  } catch (error) {
    throw new UsageError(`SSL Error: ${what}: ${(error as Error).message}`);
  }
}

/**
 * The PEM certificate and key `sam local start-api --ssl-cert-file --ssl-key-file` serves HTTPS with, read and checked
 * before anything starts; undefined when neither is given. One without the other is the SAM CLI's usage error.
 */
export function sslFiles(certFile: string | undefined, keyFile: string | undefined, usage: string): { cert: string; key: string; certFile: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [given, missing] = certFile === undefined ? ['ssl-key-file', 'ssl-cert-file'] : ['ssl-cert-file', 'ssl-key-file'];
    throw new UsageError(`Missing required parameters, with --${given} set.\nMust provide one of the following required parameter combinations:\n\t--${missing}`, usage);
  }
  const cert = readPath('ssl-cert-file', certFile);
  const key = readPath('ssl-key-file', keyFile);
  // node's TLS context takes an empty certificate or key without a word (every handshake would then fail): each is
  // parsed on its own first, so that the message names the file that is wrong.
  sslCheck(() => new X509Certificate(cert), `--ssl-cert-file ${certFile}: not a PEM certificate`);
  sslCheck(() => createPrivateKey(key), `--ssl-key-file ${keyFile}: not a PEM private key`);
  sslCheck(() => createSecureContext({ cert, key }), `--ssl-cert-file ${certFile} and --ssl-key-file ${keyFile}`);
  return { cert, key, certFile };
}
