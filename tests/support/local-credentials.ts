/** Credentials for tests that start the embedded services themselves (they refuse unsigned requests). */
import type { LocalCredentials } from '../../emulator/services/sigv4.js';

export const TEST_CREDENTIALS: LocalCredentials = {
  accessKeyId: 'ASIATESTLOCAL0000000',
  secretAccessKey: 'test-local-secret-access-key-000000000000',
  sessionToken: 'test-local-session-token',
};
