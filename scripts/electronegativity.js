// Runs Electronegativity (Doyensec's checker of Electron's security checklist) over src/ and fails on any
// HIGH finding, or on a file it could not parse (a file not read is a file not checked). Every finding is
// printed with its severity, so MEDIUM and LOW ones are reviewed in docs/security.md. Part of `npm test`.
//
// Left out: AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK, which downloads Electron's release list (no network
// here); the Electron version is the one installed, given explicitly for the same reason.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;

const quiet = console.log;
// The library prints progress and an advert to stdout; only its findings matter here.
console.log = () => {};
let result;
try {
  result = await run({
    input: 'src',
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    parserPlugins: [],
  });
} finally {
  console.log = quiet;
}

const unread = result.errors.filter((e) => !e.tolerable);
const rows = result.issues
  .map((i) => ({
    severity: i.severity.name,
    confidence: i.confidence.name,
    check: i.id,
    where: `${i.file}:${i.location.line}`,
    review: i.manualReview ? 'review' : '',
  }))
  .sort((a, b) => a.severity.localeCompare(b.severity) || a.where.localeCompare(b.where));
console.log(
  `Electronegativity: ${result.globalChecks} global and ${result.atomicChecks} atomic checks over src/ (Electron ${electronVersion}); ${rows.length} finding(s).`,
);
for (const r of rows)
  console.log(
    `  ${r.severity.padEnd(13)} ${r.confidence.padEnd(9)} ${r.check.padEnd(34)} ${r.where} ${r.review}`,
  );
for (const e of unread) console.log(`  could not parse ${e.file}: ${e.message}`);
const high = rows.filter((r) => r.severity === 'HIGH');
if (high.length > 0 || unread.length > 0) {
  console.error(
    `Electronegativity: ${high.length} HIGH finding(s), ${unread.length} file(s) not parsed. See docs/security.md.`,
  );
  process.exit(1);
}
