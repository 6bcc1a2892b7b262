// Per-file, per-kind counts from Amida's @amida-tech/blue-button over the C-CDA corpus (an independent
// oracle for our parser), plus its parse time.  Not part of the test suite.
//   mkdir /tmp/bb && cd /tmp/bb && npm init -y && npm install @amida-tech/blue-button
//   NODE_PATH=/tmp/bb/node_modules node oracle.js ../../../shared/corpus/ccda /tmp/bb/oracle.json
//   python compare.py /tmp/bb/oracle.json
const bb = require('@amida-tech/blue-button');
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const outFile = process.argv[3];
const out = {};
const times = [];
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.xml')).sort()) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  const t0 = process.hrtime.bigint();
  let r;
  try {
    r = bb.parse(text);
  } catch (e) {
    out[f] = { error: String(e) };
    continue;
  }
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const d = r.data;
  const n = (k) => (d[k] || []).length;
  out[f] = {
    results: (d.results || []).reduce((a, p) => a + (p.results || []).length, 0),
    panels: n('results'), vitals: n('vitals'), medications: n('medications'),
    immunizations: n('immunizations'), allergies: n('allergies'), problems: n('problems'),
    procedures: n('procedures'), encounters: n('encounters'), social_history: n('social_history'),
  };
}
times.sort((a, b) => a - b);
const total = times.reduce((a, b) => a + b, 0);
console.log(`blue-button: ${times.length} files parsed, median ${times[times.length >> 1].toFixed(2)} ms, ` +
            `total ${(total / 1000).toFixed(2)} s`);
fs.writeFileSync(outFile, JSON.stringify(out));
