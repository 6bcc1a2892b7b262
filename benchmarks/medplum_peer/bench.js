// Time Medplum's @medplum/ccda (C-CDA -> FHIR) over the corpus, best of 5 per file, and note which
// files it rejects.  Compare with ours on the same files: bench_ccda_parse.py --peer-times out.json
//   mkdir /tmp/mp && cd /tmp/mp && npm init -y && npm install @medplum/ccda
//   NODE_PATH=/tmp/mp/node_modules node bench.js ../../../shared/corpus/ccda /tmp/mp/medplum.json
const { convertCcdaToFhir, convertXmlToCcda } = require('@medplum/ccda');
const fs = require('fs');
const path = require('path');
const [dir, outFile] = process.argv.slice(2);
const times = {};
const errors = {};
for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.xml')).sort()) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  let best = Infinity;
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      convertCcdaToFhir(convertXmlToCcda(text));
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times[f] = best;
  } catch (e) {
    errors[f] = String(e && e.message).slice(0, 200);
  }
}
const ok = Object.values(times).sort((a, b) => a - b);
console.log(`medplum: ${ok.length} parsed, ${Object.keys(errors).length} rejected, ` +
            `median ${ok.length ? ok[ok.length >> 1].toFixed(2) : '-'} ms`);
fs.writeFileSync(outFile, JSON.stringify({ times, errors }));
