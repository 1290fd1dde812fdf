/**
 * A TCP port on 127.0.0.1 that refuses every connection, for tests of a backend that is down. Port 1 (tcpmux) is below
 * the ephemeral range, so no test server listening on port 0 is ever given it. A port taken with listen(0) and closed
 * again was: the suite's files run in parallel, another file's server got the same port, and the "refused" backend
 * answered (a 403 where the test expected ECONNREFUSED's 500, seen with the machine under load).
 */
export const REFUSED_PORT = 1;
export const REFUSED_ORIGIN = `http://127.0.0.1:${REFUSED_PORT}`;
