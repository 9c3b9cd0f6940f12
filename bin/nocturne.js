#!/usr/bin/env node
// Checked before anything loads: better-sqlite3 13 and libp2p crash or misbehave on older Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `nocturne: Node ${process.versions.node} is too old; Nocturne needs Node 22 or newer.\n` +
      'Run it through npm (npm run serve), which uses the Node 22 installed with the project.\n',
  );
  process.exit(1);
}
try {
  await import('../out/main/cli.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('out/main/cli.js')) {
    process.stderr.write('nocturne: not built yet. Run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
}
