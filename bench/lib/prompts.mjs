// Prompts for the cache benches: questions to store, paraphrase-like variants of them (which the
// benches confirm are semantic hits through x-semcache-status before using them), and distinct
// prompts that miss.

export const BASE_QUESTIONS = [
  'How do I reset my password?',
  'What is the capital of Australia?',
  'How can I improve my sleep quality?',
  'What are the health benefits of green tea?',
  'How do I make a good cup of coffee at home?',
  'What is the difference between a virus and a bacterium?',
  'How do I change a flat tire on my car?',
  'Why is the sky blue during the day?',
  'How do vaccines train the immune system?',
  'What causes the seasons on Earth?',
  'How do I cancel my subscription?',
  'What is a good way to learn a new language?',
  'How does compound interest work?',
  'What should I pack for a weekend camping trip?',
  'How do I remove a red wine stain from a carpet?',
  'What is the best way to store fresh herbs?',
  'How do solar panels generate electricity?',
  'Why do cats purr when they are happy?',
  'How can I stop procrastinating at work?',
  'What is machine learning in simple terms?',
  'How do I write a good cover letter?',
  'What are the symptoms of dehydration?',
  'How do airplanes stay in the air?',
  'What is the meaning of the word serendipity?',
  'How do I update the firmware on my router?',
  'What is the history of the Eiffel Tower?',
  'How can I save money on groceries?',
  'Why do leaves change color in autumn?',
  'How do I train my dog to sit?',
  'What is the role of mitochondria in a cell?',
  'How do I set up a home vegetable garden?',
  'What makes a good password secure?',
  'How does a refrigerator keep food cold?',
  'What are the main causes of inflation?',
  'How do I prepare for a job interview?',
  'What is photosynthesis and why does it matter?',
  'How can I reduce stress before an exam?',
  'How do I clean a cast iron pan?',
  'What is the plot of Romeo and Juliet?',
  'How do noise cancelling headphones work?',
  'How can I make my houseplants grow faster?',
  'What is the greenhouse effect?',
  'How do I back up the photos on my phone?',
  'Why do we dream when we sleep?',
  'How do I bake bread without a bread machine?',
  'What is blockchain technology used for?',
  'How can I get better at public speaking?',
  'What is the difference between weather and climate?',
];

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
const stripEnd = (s) => s.replace(/[?.!]$/, '');

/** Rewordings that keep the meaning: the case of the first letter, a politeness word, punctuation. */
export const VARIANTS = [
  lowerFirst,
  (s) => `${stripEnd(s)}, please?`,
  (s) => `Please, ${lowerFirst(s)}`,
  (s) => `${stripEnd(s)}!`,
  (s) => `Quick question: ${s}`,
];

/** Every candidate variant of every base, ordered variant-major so consecutive prompts differ in base. */
export function variantCandidates(bases = BASE_QUESTIONS) {
  const out = [];
  for (const variant of VARIANTS) for (const base of bases) out.push({ base, text: variant(base) });
  return out;
}

const WORDS = (
  'amber anchor apricot atlas aurora bakery balcony bamboo banjo basalt beacon biscuit blizzard bonsai ' +
  'canyon caramel cathedral cedar chess citadel clarinet cobalt comet coral cricket cypress dolphin dune ' +
  'ember falcon fern fjord gallery glacier granite harbor hazel horizon iceberg indigo ivory jasmine jungle ' +
  'kayak kernel lagoon lantern lava lemon lighthouse lotus magnet maple marble meadow meteor mosaic nectar ' +
  'nebula oasis orchid origami otter pebble pepper pigeon pinecone plaza prism quartz quill raccoon radar ' +
  'reef rhubarb saffron satellite sequoia sherbet sparrow spruce summit tango telescope thistle tundra ' +
  'turbine tulip umbrella valley velvet violin volcano walnut willow yacht zebra zephyr'
).split(' ');

const TEMPLATES = [
  (a, b, c) => `Write a short poem about a ${a} near a ${b} and a ${c}.`,
  (a, b, c) => `Describe how a ${a} could be used to build a ${b} in the ${c} district.`,
  (a, b, c) => `Compare the ${a} market with the ${b} trade in ${c} season.`,
  (a, b, c) => `Invent a recipe that combines ${a}, ${b} and ${c}.`,
  (a, b, c) => `Tell a children's story where a ${a} befriends a ${b} under a ${c}.`,
];

/** Distinct prompts, deterministic from the seed, that are meant to miss: random words in random frames. */
export function missPrompts(count, seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const pick = () => WORDS[next() % WORDS.length];
  const prompts = [];
  for (let i = 0; i < count; i++) prompts.push(TEMPLATES[next() % TEMPLATES.length](pick(), pick(), pick()) + ` (${seed}-${i})`);
  return prompts;
}
