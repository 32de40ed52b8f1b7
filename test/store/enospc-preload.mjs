// Preloaded into a CLI process by enospc-cli.test.ts: the Nth write of sample records (a buffer
// holding `"v":1`) fails with ENOSPC, once, as a disk that fills up mid-run would.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const failAt = Number(process.env.SB_TEST_ENOSPC_AT ?? '3');
const original = fs.writeSync;
let sampleWrites = 0;
fs.writeSync = function writeSync(fd, buffer, ...rest) {
  const bytes = typeof buffer === 'string' ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).toString('latin1');
  if (bytes.includes('"v":1')) {
    sampleWrites += 1;
    if (sampleWrites === failAt) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  }
  return original.call(this, fd, buffer, ...rest);
};
syncBuiltinESMExports();
