// Names shared by the two runtimes of Universal Sentence Encoder lite (use-onnx-backend.ts, the
// default, and use-backend.ts on TensorFlow.js): one model, so one id. Kept apart so that neither
// backend loads the other's runtime to read them.

/** Stored with every entry and part of every partition key; both runtimes give the same vectors. */
export const USE_MODEL_ID = 'use-lite-512';
export const USE_DIMENSION = 512;
