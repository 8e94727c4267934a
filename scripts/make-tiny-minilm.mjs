// Writes test/fixtures/tiny-minilm/: a MiniLM-shaped (BERT-like) ONNX model with seeded random weights and
// a small WordPiece tokenizer, in the folder layout transformers.js v3 loads locally (onnx/model.onnx for
// dtype fp32). Its vectors mean nothing; it lets tests run the real transformers.js plumbing offline.
//
// The graph keeps what the feature-extraction pipeline relies on: inputs input_ids, attention_mask and
// token_type_ids (int64 [batch, seq]) and output last_hidden_state (float [batch, seq, hidden]):
//   last_hidden_state = Tanh((WordEmb[input_ids] + TypeEmb[token_type_ids]) @ W + b)
// attention_mask is declared but unused, as padded positions still get non-zero states like in BERT, so
// only a pooling that honours the mask gives the same vector for a text alone and inside a padded batch.
//
// Usage: node scripts/make-tiny-minilm.mjs   (deterministic: the same bytes every run)

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HIDDEN = 32;
const SEED = 20240607;
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'tiny-minilm');

// ---- protobuf wire format (https://protobuf.dev/programming-guides/encoding/) ----

function varint(value) {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // negative int64 values are sent as their 64-bit two's complement
  const bytes = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

const key = (field, wireType) => varint((field << 3) | wireType);
const intField = (field, value) => Buffer.concat([key(field, 0), varint(value)]);
function bytesField(field, payload) {
  const buf = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([key(field, 2), varint(buf.length), buf]);
}
const message = (...parts) => Buffer.concat(parts.flat());

// ---- ONNX messages (field numbers from onnx/onnx.proto3) ----

const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

function tensor(name, dims, dataType, raw) {
  return message(
    dims.map((d) => intField(1, d)),
    intField(2, dataType),
    bytesField(8, name),
    bytesField(9, raw),
  );
}

function floatTensor(name, dims, values) {
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => raw.writeFloatLE(v, i * 4)); // ONNX raw_data is little-endian
  return tensor(name, dims, FLOAT, raw);
}

function int64Tensor(name, dims, values) {
  const raw = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  return tensor(name, dims, INT64, raw);
}

function node(opType, inputs, outputs, attributes = []) {
  return message(
    inputs.map((i) => bytesField(1, i)),
    outputs.map((o) => bytesField(2, o)),
    bytesField(3, `${opType}_${outputs[0]}`),
    bytesField(4, opType),
    attributes.map((a) => bytesField(5, a)),
  );
}

const intAttribute = (name, value) => message(bytesField(1, name), intField(3, value), intField(20, ATTR_INT));

function valueInfo(name, elemType, dims) {
  const shape = message(dims.map((d) => bytesField(1, typeof d === 'number' ? intField(1, d) : bytesField(2, d))));
  const tensorType = message(intField(1, elemType), bytesField(2, shape));
  return message(bytesField(1, name), bytesField(2, bytesField(1, tensorType)));
}

// ---- seeded weights (mulberry32: tiny, deterministic across platforms) ----

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const weights = (count, scale) => Array.from({ length: count }, () => (random() * 2 - 1) * scale);

// ---- vocabulary ----

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PUNCTUATION = [...'.,?!\'":;-()/'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const DIGITS = [...'0123456789'];
const SUFFIXES = ['s', 'es', 'ed', 'ing', 'ly', 'er', 'est', 'ion', 'ment', 'ness', 'able', 'ful', 'less'];
const WORDS = `
the be to of and a in that have i it for not on with he as you do at this but his by from they we say her
she or an will my one all would there their what so up out if about who get which go me when make can like
time no just him know take people into year your good some could them see other than then now look only
come its over think also back after use two how our work first well way even new want because any these
give day most us is are was were been has had did does how why where what which whom whose password reset
change account email login sign user name help please thanks thank hello hi world question answer capital
city country france paris london germany berlin weather today tomorrow rain sun cold hot price cost money
pay bill order ship delivery return refund product item cart buy sell store shop open close hour week month
cache model server request response error data file code test run build fast slow small large big little
long short old young high low right left next last early late find tell ask show try call keep let put
mean seem turn start stop move live believe bring happen write sit stand lose add grow learn read speak
book phone car house home school water food friend family child man woman life hand part place case point
number group problem fact
`
  .trim()
  .split(/\s+/);

function buildVocab() {
  const tokens = [
    ...SPECIAL,
    ...PUNCTUATION,
    ...DIGITS,
    ...LETTERS,
    ...DIGITS.map((d) => `##${d}`),
    ...LETTERS.map((l) => `##${l}`),
    ...SUFFIXES.map((s) => `##${s}`),
    ...WORDS,
  ];
  return [...new Set(tokens)];
}

// ---- files ----

function buildModel(vocabSize) {
  const graph = message(
    bytesField(1, node('Gather', ['word_embeddings', 'input_ids'], ['words'])),
    bytesField(1, node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types'])),
    bytesField(1, node('Add', ['words', 'types'], ['embedded'])),
    bytesField(1, node('MatMul', ['embedded', 'dense_weight'], ['projected'])),
    bytesField(1, node('Add', ['projected', 'dense_bias'], ['biased'])),
    bytesField(1, node('Tanh', ['biased'], ['last_hidden_state'])),
    bytesField(2, 'tiny_minilm'),
    bytesField(5, floatTensor('word_embeddings', [vocabSize, HIDDEN], weights(vocabSize * HIDDEN, 1))),
    bytesField(5, floatTensor('token_type_embeddings', [2, HIDDEN], weights(2 * HIDDEN, 0.1))),
    bytesField(5, floatTensor('dense_weight', [HIDDEN, HIDDEN], weights(HIDDEN * HIDDEN, 0.5))),
    bytesField(5, floatTensor('dense_bias', [HIDDEN], weights(HIDDEN, 0.1))),
    bytesField(11, valueInfo('input_ids', INT64, ['batch_size', 'sequence_length'])),
    bytesField(11, valueInfo('attention_mask', INT64, ['batch_size', 'sequence_length'])),
    bytesField(11, valueInfo('token_type_ids', INT64, ['batch_size', 'sequence_length'])),
    bytesField(12, valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', HIDDEN])),
  );
  const opset = message(bytesField(1, ''), intField(2, 14));
  return message(
    intField(1, 8), // ir_version 8 goes with opset 14 and loads in every onnxruntime since 1.12
    bytesField(2, 'semcache make-tiny-minilm'),
    bytesField(3, '1'),
    bytesField(7, graph),
    bytesField(8, opset),
  );
}

function buildTokenizer(vocab) {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  const special = (content) => ({
    id: ids[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const cls = { SpecialToken: { id: '[CLS]', type_id: 0 } };
  const sep = (typeId) => ({ SpecialToken: { id: '[SEP]', type_id: typeId } });
  const specialEntry = (token) => ({ id: token, ids: [ids[token]], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0)],
      pair: [cls, { Sequence: { id: 'A', type_id: 0 } }, sep(0), { Sequence: { id: 'B', type_id: 1 } }, sep(1)],
      special_tokens: { '[CLS]': specialEntry('[CLS]'), '[SEP]': specialEntry('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

function main() {
  const vocab = buildVocab();
  mkdirSync(join(OUT_DIR, 'onnx'), { recursive: true });
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(join(OUT_DIR, 'onnx', 'model.onnx'), buildModel(vocab.length));
  writeFileSync(join(OUT_DIR, 'tokenizer.json'), json(buildTokenizer(vocab)));
  writeFileSync(
    join(OUT_DIR, 'config.json'),
    json({
      _name_or_path: 'tiny-minilm',
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: HIDDEN,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: HIDDEN * 2,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      vocab_size: vocab.length,
      pad_token_id: 0,
    }),
  );
  writeFileSync(
    join(OUT_DIR, 'tokenizer_config.json'),
    json({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      clean_up_tokenization_spaces: true,
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      mask_token: '[MASK]',
    }),
  );
  process.stdout.write(`wrote ${OUT_DIR} (vocab ${vocab.length}, hidden ${HIDDEN})\n`);
}

main();
