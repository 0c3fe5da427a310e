/**
 * `npm run bench [names...]`: runs the benchmarks, each printing a table of xinfang beside
 * its raw baseline in the same process. Numbers are for comparing rows of one run on one
 * machine; benchmarks never fail a build.
 */
const suites: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  'config-load': () => import('./config-load.js'),
  deadlines: () => import('./deadlines.js'),
  rules: () => import('./rules.js'),
  engine: () => import('./engine.js'),
  sqlite: () => import('./sqlite.js'),
  postgres: () => import('./postgres.js'),
  report: () => import('./report.js'),
  check: () => import('./check.js'),
  http: () => import('./http.js'),
};

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !(n in suites));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
console.log(`# xinfang benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
for (const name of asked.length > 0 ? asked : Object.keys(suites)) {
  const suite = await suites[name]!();
  await suite.run();
}

export {};
