/**
 * Child process of `metadataStore.test.ts` (kill safety): commits batches of 500 records, each batch together
 * with a tick count equal to its number, until killed. Run as `node killSafetyChild.ts <db path>`.
 */
import { MetadataStore } from './metadataStore.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: killSafetyChild.ts <db path>');
const store = MetadataStore.open({ path: file, replicaId: () => '00000000-0000-4000-8000-000000000001' });
const BATCH = 500;
const first = store.tickCount() + 1;
for (let batch = first; ; batch++) {
  const records = Array.from({ length: BATCH }, (_, index) => {
    const version = { key: 0, tick: batch };
    return { itemId: `b${batch}-${index}`, name: `b${batch}-${index}`, created: version, version, deleted: false, units: [{ unitId: 'u', version, hash: 'h'.repeat(40) }] };
  });
  store.commit({ records, knowledge: store.knowledge().withTick(0, batch), tickCount: batch });
  if (batch === first) process.stdout.write('ready\n');
}
