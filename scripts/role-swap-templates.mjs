// Templates of make-role-swaps.mjs: Wikipedia-style statements and questions with two or more
// names, places or nouns, each with the rewordings it is asked in. Every name here is invented or
// generic; none is taken from an evaluation set.

export const FILLERS = {
  person: [
    'Arthur Fenwick',
    'Maria Delgado',
    'Henrik Olsen',
    'Tomasz Nowak',
    'Grace Whitfield',
    'Kenji Watanabe',
    'Luis Ortega',
    'Amara Okafor',
    'Pieter de Vries',
    'Sofia Lindqvist',
    'Rahul Mehta',
    'Claire Dubois',
    'Ivan Petrov',
    'Nadia Haddad',
    'Owen Gallagher',
    'Elena Rossi',
    'Samuel Adeyemi',
    'Hannah Becker',
    'Mateo Silva',
    'Yuki Tanaka',
    'Fergus Doyle',
    'Ingrid Halvorsen',
  ],
  given: ['Edmund', 'Walter', 'Godfrey', 'Roland', 'Aldric', 'Bertram', 'Osric', 'Leofric', 'Hugh', 'Ranulf', 'Geoffrey', 'Baldwin'],
  country: [
    'Turkey',
    'New Zealand',
    'Portugal',
    'Ghana',
    'Chile',
    'Norway',
    'South Korea',
    'Egypt',
    'Canada',
    'Poland',
    'Australia',
    'Mexico',
    'Japan',
    'Sweden',
    'Argentina',
    'Nigeria',
    'Iceland',
    'Peru',
  ],
  town: [
    'Leeds',
    'York',
    'Lyon',
    'Porto',
    'Krakow',
    'Osaka',
    'Dundee',
    'Bergen',
    'Valencia',
    'Graz',
    'Tampere',
    'Malmo',
    'Cork',
    'Utrecht',
    'Bologna',
    'Seville',
    'Aarhus',
    'Ghent',
  ],
  road: ['Bath', 'Station', 'Mill', 'Church', 'Victoria', 'Kingsway', 'Chapel', 'Park', 'Queen', 'Wellington', 'Fore', 'Marsh'],
  club: [
    'Harbour United',
    'Northfield Athletic',
    'Riverside Rovers',
    'Castleton',
    'Westbrook Albion',
    'Eastgate City',
    'Millbrook Town',
    'Ashford Wanderers',
    'Kingsbridge',
    'Hollow Vale',
  ],
  company: [
    'Norvik Systems',
    'Calder Foods',
    'Brightwater Media',
    'Halden Motors',
    'Oakline Software',
    'Tessaro Pharma',
    'Greyfield Steel',
    'Lumen Aviation',
    'Corvane Energy',
    'Pellham Textiles',
  ],
  lake: ['Lake Varna', 'Lake Osmund', 'Lake Tiber', 'Lake Carrow', 'Lake Henning', 'Lake Ormsby', 'Lake Vesta'],
  region: ['Upper Marsh', 'the Dale valley', 'West Hollin', 'the Keld district', 'North Ardel', 'the Soren coast'],
  format: ['PDF', 'Word', 'Excel', 'CSV', 'JSON', 'XML', 'PNG', 'JPEG'],
  language: ['Python', 'Java', 'Rust', 'Go', 'Kotlin', 'Ruby', 'Haskell', 'Swift'],
  year: ['1921', '1938', '1954', '1967', '1979', '1986', '1994', '2002', '2010', '2014'],
};

const Y = 'year';

/** Each template: its slots (name -> filler list), how many times to fill it, and the texts. */
export const TEMPLATES = [
  {
    slots: { a: 'person', b: 'person', c: 'club', y: Y },
    fills: 5,
    make: ({ a, b, c, y }) => ({
      base: `${a} replaced ${b} as head coach of ${c} in ${y}.`,
      swap: `${b} replaced ${a} as head coach of ${c} in ${y}.`,
      'voice-flip': `${a} was replaced by ${b} as head coach of ${c} in ${y}.`,
      voice: `${b} was replaced by ${a} as head coach of ${c} in ${y}.`,
      fronting: `In ${y}, ${a} replaced ${b} as head coach of ${c}.`,
      synonym: `${a} took over from ${b} as head coach of ${c} in ${y}.`,
    }),
  },
  {
    slots: { p: 'person', x: 'country', z: 'country', y: Y },
    fills: 5,
    make: ({ p, x, z, y }) => ({
      base: `${p} represented ${x} at the ${y} World Cup in ${z}.`,
      swap: `${p} represented ${z} at the ${y} World Cup in ${x}.`,
      fronting: `At the ${y} World Cup in ${z}, ${p} represented ${x}.`,
      synonym: `${p} played for ${x} at the ${y} World Cup held in ${z}.`,
    }),
  },
  {
    slots: { r: 'road', s: 'road' },
    fills: 5,
    make: ({ r, s }) => ({
      base: `The company's registered office is situated on ${r} Road, at the end of ${s} Road.`,
      swap: `The company's registered office is situated on ${s} Road, at the end of ${r} Road.`,
      fronting: `At the end of ${s} Road, the company's registered office is situated on ${r} Road.`,
      synonym: `The registered office of the company lies on ${r} Road, where ${s} Road ends.`,
    }),
  },
  {
    slots: { x: 'town', z: 'town' },
    fills: 4,
    make: ({ x, z }) => ({
      base: `The railway line runs from ${x} to ${z}.`,
      swap: `The railway line runs from ${z} to ${x}.`,
      reorder: `The railway line runs to ${z} from ${x}.`,
      fronting: `From ${x}, the railway line runs to ${z}.`,
    }),
  },
  {
    slots: { a: 'given', b: 'given', y: Y },
    fills: 4,
    make: ({ a, b, y }) => ({
      base: `${a}'s son ${b} inherited the estate in ${y}.`,
      swap: `${b}'s son ${a} inherited the estate in ${y}.`,
      synonym: `${b}, the son of ${a}, inherited the estate in ${y}.`,
      fronting: `In ${y}, ${a}'s son ${b} inherited the estate.`,
    }),
  },
  {
    slots: { a: 'club', b: 'club', y: Y },
    fills: 4,
    make: ({ a, b, y }) => ({
      base: `${a} defeated ${b} 3-1 in the final of the ${y} cup.`,
      swap: `${b} defeated ${a} 3-1 in the final of the ${y} cup.`,
      voice: `${b} were defeated 3-1 by ${a} in the final of the ${y} cup.`,
      synonym: `${a} beat ${b} 3-1 in the ${y} cup final.`,
    }),
  },
  {
    slots: { p: 'person', x: 'town', z: 'town' },
    fills: 4,
    make: ({ p, x, z }) => ({
      base: `${p} was born in ${x} and died in ${z}.`,
      swap: `${p} was born in ${z} and died in ${x}.`,
      fronting: `Born in ${x}, ${p} died in ${z}.`,
      reorder: `${p} died in ${z}; he had been born in ${x}.`,
    }),
  },
  {
    slots: { a: 'company', b: 'company', y: Y },
    fills: 4,
    make: ({ a, b, y }) => ({
      base: `${a} acquired ${b} in ${y}.`,
      swap: `${b} acquired ${a} in ${y}.`,
      'voice-flip': `${a} was acquired by ${b} in ${y}.`,
      voice: `${b} was acquired by ${a} in ${y}.`,
      synonym: `${a} bought ${b} in ${y}.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person', c: 'person' },
    fills: 4,
    make: ({ a, b, c }) => ({
      base: `${a} married ${b}, the daughter of ${c}.`,
      swap: `${a} married ${c}, the daughter of ${b}.`,
      synonym: `${a} married ${c}'s daughter, ${b}.`,
    }),
  },
  {
    slots: { a: 'lake', b: 'lake', r: 'region' },
    fills: 4,
    make: ({ a, b, r }) => ({
      base: `The river flows out of ${a} and into ${b}, crossing ${r}.`,
      swap: `The river flows out of ${b} and into ${a}, crossing ${r}.`,
      fronting: `Crossing ${r}, the river flows out of ${a} and into ${b}.`,
    }),
  },
  {
    slots: { p: 'person', x: 'town', z: 'town', y: Y },
    fills: 4,
    make: ({ p, x, z, y }) => ({
      base: `${p} moved from ${x} to ${z} in ${y}.`,
      swap: `${p} moved from ${z} to ${x} in ${y}.`,
      fronting: `In ${y}, ${p} moved to ${z} from ${x}.`,
      synonym: `${p} relocated from ${x} to ${z} in ${y}.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person' },
    fills: 4,
    make: ({ a, b }) => ({
      base: `The film was directed by ${a} and produced by ${b}.`,
      swap: `The film was directed by ${b} and produced by ${a}.`,
      voice: `${a} directed the film, and ${b} produced it.`,
      reorder: `The film was produced by ${b} and directed by ${a}.`,
    }),
  },
  {
    slots: { p: 'person', x: 'town', r: 'region' },
    fills: 4,
    make: ({ p, x, r }) => ({
      base: `${p} served as mayor of ${x} before becoming governor of ${r}.`,
      swap: `${p} served as mayor of ${r} before becoming governor of ${x}.`,
      fronting: `Before becoming governor of ${r}, ${p} served as mayor of ${x}.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person', c: 'person' },
    fills: 5,
    make: ({ a, b, c }) => ({
      base: `The album features ${a} on vocals, ${b} on guitar and ${c} on drums.`,
      'list-swap': [
        `The album features ${b} on vocals, ${a} on guitar and ${c} on drums.`,
        `The album features ${a} on vocals, ${c} on guitar and ${b} on drums.`,
      ],
      reorder: `The album features ${b} on guitar, ${a} on vocals and ${c} on drums.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person', c: 'person' },
    fills: 4,
    make: ({ a, b, c }) => ({
      base: `${a} finished first in the race, ahead of ${b} and ${c}.`,
      swap: `${b} finished first in the race, ahead of ${a} and ${c}.`,
      symmetric: `${a} finished first in the race, ahead of ${c} and ${b}.`,
      fronting: `Ahead of ${b} and ${c}, ${a} finished first in the race.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person', y: Y },
    fills: 4,
    make: ({ a, b, y }) => ({
      base: `The ${y} election was won by ${a}, who defeated ${b}.`,
      swap: `The ${y} election was won by ${b}, who defeated ${a}.`,
      voice: `${a} won the ${y} election, defeating ${b}.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person' },
    fills: 4,
    make: ({ a, b }) => ({
      base: `${a} was the teacher of ${b} at the conservatory.`,
      swap: `${b} was the teacher of ${a} at the conservatory.`,
      voice: `${b} was taught by ${a} at the conservatory.`,
      synonym: `${a} was ${b}'s teacher at the conservatory.`,
    }),
  },
  {
    slots: { a: 'country', b: 'country', r: 'region', y: Y },
    fills: 4,
    make: ({ a, b, r, y }) => ({
      base: `The treaty of ${y} transferred ${r} from ${a} to ${b}.`,
      swap: `The treaty of ${y} transferred ${r} from ${b} to ${a}.`,
      synonym: `Under the treaty of ${y}, ${r} passed from ${a} to ${b}.`,
    }),
  },
  {
    slots: { p: 'person', a: 'club', b: 'club', y: Y },
    fills: 4,
    make: ({ p, a, b, y }) => ({
      base: `${p} left ${a} to join ${b} in ${y}.`,
      swap: `${p} left ${b} to join ${a} in ${y}.`,
      fronting: `In ${y}, ${p} left ${a} to join ${b}.`,
      synonym: `${p} departed ${a} and signed for ${b} in ${y}.`,
    }),
  },
  {
    slots: { a: 'country', b: 'country', y: Y },
    fills: 4,
    make: ({ a, b, y }) => ({
      base: `${a} declared war on ${b} in ${y}.`,
      swap: `${b} declared war on ${a} in ${y}.`,
      fronting: `In ${y}, ${a} declared war on ${b}.`,
      voice: `War was declared on ${b} by ${a} in ${y}.`,
    }),
  },
  {
    slots: { a: 'person', b: 'person' },
    fills: 4,
    make: ({ a, b }) => ({
      base: `${a} is the older brother of ${b}.`,
      swap: `${b} is the older brother of ${a}.`,
      synonym: `${b}'s older brother is ${a}.`,
    }),
  },
  {
    slots: { a: 'club', b: 'club', y: Y },
    fills: 3,
    make: ({ a, b, y }) => ({
      base: `${a} vs ${b}: who won the ${y} final?`,
      symmetric: `${b} vs ${a}: who won the ${y} final?`,
    }),
  },
  {
    slots: { x: 'town', z: 'town' },
    fills: 3,
    make: ({ x, z }) => ({
      base: `The museum stands between ${x} and ${z}.`,
      symmetric: `The museum stands between ${z} and ${x}.`,
    }),
  },
  {
    slots: { x: 'town', z: 'town' },
    fills: 4,
    make: ({ x, z }) => ({
      base: `Is ${x} bigger than ${z}?`,
      swap: `Is ${z} bigger than ${x}?`,
    }),
  },
  {
    slots: { x: 'town', z: 'town' },
    fills: 4,
    make: ({ x, z }) => ({
      base: `How do I get from ${x} to ${z} by train?`,
      swap: `How do I get from ${z} to ${x} by train?`,
      reorder: `How do I get to ${z} from ${x} by train?`,
      fronting: `By train, how do I get from ${x} to ${z}?`,
    }),
  },
  {
    slots: { a: 'club', b: 'club', y: Y },
    fills: 4,
    make: ({ a, b, y }) => ({
      base: `Did ${a} beat ${b} in the ${y} final?`,
      swap: `Did ${b} beat ${a} in the ${y} final?`,
      voice: `Was ${b} beaten by ${a} in the ${y} final?`,
      'voice-flip': `Was ${a} beaten by ${b} in the ${y} final?`,
    }),
  },
  {
    slots: { a: 'person', b: 'person' },
    fills: 3,
    make: ({ a, b }) => ({
      base: `Who is older, ${a} or ${b}?`,
      symmetric: `Who is older, ${b} or ${a}?`,
    }),
  },
  {
    slots: { a: 'language', b: 'language' },
    fills: 3,
    make: ({ a, b }) => ({
      base: `What is the difference between ${a} and ${b}?`,
      symmetric: `What is the difference between ${b} and ${a}?`,
    }),
  },
  {
    slots: { a: 'language', b: 'language' },
    fills: 4,
    make: ({ a, b }) => ({
      base: `Should I learn ${a} before ${b}?`,
      swap: `Should I learn ${b} before ${a}?`,
      synonym: `Is it better to learn ${a} first and ${b} after?`,
    }),
  },
  {
    slots: { a: 'format', b: 'format' },
    fills: 4,
    make: ({ a, b }) => ({
      base: `How do I convert a ${a} file to ${b}?`,
      swap: `How do I convert a ${b} file to ${a}?`,
      fronting: `To turn a ${a} file into ${b}, what do I do?`,
    }),
  },
  {
    slots: { a: 'person', b: 'person' },
    fills: 3,
    make: ({ a, b }) => ({
      base: `Is ${a} the father of ${b}?`,
      swap: `Is ${b} the father of ${a}?`,
      synonym: `Is ${a} ${b}'s father?`,
    }),
  },
];

/**
 * Longer encyclopedic sentences, written here: [X] and [Y] mark the two names or nouns that are
 * exchanged (label 0); `same` holds rewordings that keep the meaning (label 1).
 */
export const LONG_SENTENCES = [
  {
    text: 'After the war, [X] returned to Bergen, where he worked as a clerk for the shipping firm of his uncle until [Y] offered him a position in 1921.',
    x: 'his father',
    y: 'a local newspaper',
    same: ["After the war, [X] returned to Bergen and worked as a clerk for his uncle's shipping firm until [Y] offered him a position in 1921."],
  },
  {
    text: 'The station, opened in 1887 by the [X], was later taken over by the [Y] and closed to passengers in 1962.',
    x: 'Northern Railway Company',
    y: 'Midland Railway',
    same: ['Opened in 1887 by the [X], the station was later taken over by the [Y] and closed to passengers in 1962.'],
  },
  {
    text: 'She studied piano under [X] at the Vienna Conservatory before continuing her training with [Y] in Paris.',
    x: 'Anton Keller',
    y: 'Marie Lefevre',
    same: ['Before continuing her training with [Y] in Paris, she studied piano under [X] at the Vienna Conservatory.'],
  },
  {
    text: 'The village lies on the north bank of the [X], about four kilometres upstream from its confluence with the [Y].',
    x: 'River Aln',
    y: 'River Coquet',
    same: ['About four kilometres upstream from its confluence with the [Y], the village lies on the north bank of the [X].'],
  },
  {
    text: 'In the 1998 general election he was elected for [X], a seat he held until 2006, when he moved to the safer constituency of [Y].',
    x: 'Eastwood South',
    y: 'Hollin Vale',
    same: ['He was elected for [X] in the 1998 general election and held the seat until 2006, when he moved to the safer constituency of [Y].'],
  },
  {
    text: 'The road begins at a junction with [X] near the town centre and ends at a roundabout on [Y], just south of the river.',
    x: 'Marsh Lane',
    y: 'Kingsway',
    same: ['Beginning at a junction with [X] near the town centre, the road ends at a roundabout on [Y], just south of the river.'],
  },
  {
    text: 'The species is native to [X] and has been introduced to [Y], where it is considered invasive.',
    x: 'southern Chile',
    y: 'New Zealand',
    same: ['Native to [X], the species has been introduced to [Y], where it is considered invasive.'],
  },
  {
    text: 'The club was founded in 1902 as a works team of the [X] and merged with [Y] in 1931 to form the present club.',
    x: 'Calder Iron Works',
    y: 'Ashford Athletic',
    same: ['Founded in 1902 as a works team of the [X], the club merged with [Y] in 1931 to form the present club.'],
  },
  {
    text: 'He was succeeded as bishop by [X], who had served as his archdeacon, and [Y] took over the archdeaconry.',
    x: 'Thomas Hale',
    y: 'John Mercer',
    same: ['[X], who had served as his archdeacon, succeeded him as bishop, and [Y] took over the archdeaconry.'],
  },
  {
    text: 'The album was recorded at [X] in the spring of 1974 and mixed at [Y] later that year.',
    x: 'Abbey Road Studios',
    y: 'Olympic Studios',
    same: ['Recorded at [X] in the spring of 1974, the album was mixed at [Y] later that year.'],
  },
  { text: 'The bridge carries the railway over the [X] and links the industrial district to the port of [Y].', x: 'Wear valley', y: 'Sunderland', same: [] },
  {
    text: 'Her first novel was translated into [X] in 1956 and into [Y] two years later, which made her known abroad.',
    x: 'French',
    y: 'German',
    same: ['Her first novel, translated into [X] in 1956 and into [Y] two years later, made her known abroad.'],
  },
  {
    text: 'The team finished second in the [X] behind Porto and qualified for the [Y] for the first time.',
    x: 'league',
    y: 'Champions League',
    same: ['Finishing second in the [X] behind Porto, the team qualified for the [Y] for the first time.'],
  },
  {
    text: 'The company moved its headquarters from [X] to [Y] in 1998 to be closer to its main customers.',
    x: 'Leeds',
    y: 'Manchester',
    same: ['In 1998 the company moved its headquarters to [Y] from [X] to be closer to its main customers.'],
  },
  {
    text: 'As a member of the [X], he voted against the merger with the [Y] in 1972.',
    x: 'Liberal Party',
    y: 'Social Democrats',
    same: ['In 1972 he voted, as a member of the [X], against the merger with the [Y].'],
  },
  {
    text: 'The manuscript was kept in the library of [X] until 1823, when it was sold to the collector [Y].',
    x: 'Durham Cathedral',
    y: 'Richard Heber',
    same: ['Until 1823, when it was sold to the collector [Y], the manuscript was kept in the library of [X].'],
  },
  {
    text: 'The line was extended from [X] to [Y] in 1911, and electrified in 1958.',
    x: 'Rosebank',
    y: 'Eastfield',
    same: ['In 1911 the line was extended from [X] to [Y]; it was electrified in 1958.'],
  },
  {
    text: 'The governor appointed [X] as chief justice and named [Y] attorney general in the same week.',
    x: 'Samuel Price',
    y: 'Henry Wood',
    same: ['In the same week, the governor named [Y] attorney general and appointed [X] as chief justice.'],
  },
  {
    text: 'The festival was held in [X] from 1965 to 1979 and then moved to [Y], where it still takes place every August.',
    x: 'Brighton',
    y: 'Edinburgh',
    same: ['Held in [X] from 1965 to 1979, the festival then moved to [Y], where it still takes place every August.'],
  },
  {
    text: 'The film tells the story of a [X] who falls in love with a [Y] during the siege of the city.',
    x: 'young soldier',
    y: 'nurse',
    same: ['During the siege of the city, a [X] falls in love with a [Y]: that is the story the film tells.'],
  },
  { text: 'The river forms the border between the two counties for 12 km before it flows into [X] near [Y].', x: 'Lake Varna', y: 'Ostrava', same: [] },
  {
    text: 'The tower was designed by [X], although the interior was completed by his pupil [Y] after his death.',
    x: 'Giovanni Bellotti',
    y: 'Luca Ferri',
    same: ['Although the interior was completed by his pupil [Y] after his death, the tower was designed by [X].'],
  },
  {
    text: 'In 1815 the territory passed from [X] to [Y] under the terms of the Congress of Vienna.',
    x: 'Sweden',
    y: 'Prussia',
    same: ['Under the terms of the Congress of Vienna, the territory passed from [X] to [Y] in 1815.'],
  },
  {
    text: 'The school is located on [X], opposite the parish church and close to the junction with [Y].',
    x: 'Church Street',
    y: 'High Street',
    same: ['Opposite the parish church and close to the junction with [Y], the school is located on [X].'],
  },
  {
    text: 'The [X] is the largest of the islands, and the [Y] is the most densely populated.',
    x: 'northern island',
    y: 'southern island',
    same: ['The [Y] is the most densely populated of the islands, and the [X] is the largest.'],
  },
  {
    text: 'He played as a [X] for most of his career but was used as a [Y] in his final two seasons.',
    x: 'striker',
    y: 'winger',
    same: ['For most of his career he played as a [X], but in his final two seasons he was used as a [Y].'],
  },
  {
    text: 'The plant flowers from [X] to [Y], and its seeds ripen in the autumn.',
    x: 'April',
    y: 'June',
    same: ['Flowering from [X] to [Y], the plant ripens its seeds in the autumn.'],
  },
  {
    text: 'The original building was demolished in 1960 to make way for the [X], which in turn was replaced by the [Y] in 2004.',
    x: 'bus station',
    y: 'shopping centre',
    same: ['In 1960 the original building was demolished to make way for the [X], which the [Y] in turn replaced in 2004.'],
  },
  {
    text: 'The church is dedicated to [X] and is one of the few in the region with a tower built by [Y].',
    x: 'Saint Oswald',
    y: 'the Normans',
    same: ['Dedicated to [X], the church is one of the few in the region with a tower that [Y] built.'],
  },
  {
    text: 'The [X] is a tributary of the [Y] and rises in the hills west of the town.',
    x: 'Derwent',
    y: 'Ouse',
    same: ['Rising in the hills west of the town, the [X] is a tributary of the [Y].'],
  },
  {
    text: 'The novel was adapted for the stage by [X] in 1931 and filmed by [Y] in 1948.',
    x: 'Harold Pinter',
    y: 'David Lean',
    same: ['In 1931 [X] adapted the novel for the stage, and in 1948 [Y] filmed it.'],
  },
  {
    text: 'During the reign of [X], the castle was enlarged, and under [Y] it became a royal residence.',
    x: 'Henry III',
    y: 'Edward I',
    same: ['The castle was enlarged during the reign of [X] and became a royal residence under [Y].'],
  },
];

/**
 * Two events in order, with "before" or "after" (added after the sets above, filled from a generator
 * of their own so that the rows above stay as they were): the converse, which trades the word and
 * the order of its sides, says the same (`converse`, label 1: "A before B" / "B after A"); the word
 * traded alone reverses the order (`order-flip`, label 0: "A before B" / "A after B").
 */
export const ORDER_TEMPLATES = [
  {
    slots: { a: 'language', b: 'language' },
    fills: 3,
    make: ({ a, b }) => ({
      base: `Should I learn ${a} before ${b}?`,
      converse: [`Should I learn ${b} after ${a}?`, `Should I learn ${a} first and ${b} after?`],
      'order-flip': `Should I learn ${a} after ${b}?`,
    }),
  },
  {
    slots: { p: 'person', x: 'town', r: 'region' },
    fills: 3,
    make: ({ p, x, r }) => ({
      base: `${p} served as mayor of ${x} before becoming governor of ${r}.`,
      converse: [`${p} became governor of ${r} after serving as mayor of ${x}.`, `After serving as mayor of ${x}, ${p} became governor of ${r}.`],
      'order-flip': [`${p} served as mayor of ${x} after becoming governor of ${r}.`, `After becoming governor of ${r}, ${p} served as mayor of ${x}.`],
    }),
  },
  {
    slots: { a: 'company', b: 'company', y: 'year' },
    fills: 3,
    make: ({ a, b, y }) => ({
      base: `${a} was founded before ${b}, in ${y}.`,
      converse: `${b} was founded after ${a}, in ${y}.`,
      'order-flip': `${a} was founded after ${b}, in ${y}.`,
    }),
  },
  {
    slots: { x: 'town', z: 'town' },
    fills: 3,
    make: ({ x, z }) => ({
      base: `Does the train stop in ${x} before ${z}?`,
      converse: `Does the train stop in ${z} after ${x}?`,
      'order-flip': `Does the train stop in ${x} after ${z}?`,
    }),
  },
  {
    slots: {},
    fills: 1,
    make: () => ({
      base: 'Should I brush my teeth before breakfast?',
      converse: 'Should I have breakfast after brushing my teeth?',
      'order-flip': 'Should I brush my teeth after breakfast?',
    }),
  },
  {
    slots: {},
    fills: 1,
    make: () => ({
      base: 'Can I drink coffee before a blood test?',
      'order-flip': 'Can I drink coffee after a blood test?',
    }),
  },
  {
    slots: {},
    fills: 1,
    make: () => ({
      base: 'Should I stretch before running?',
      converse: 'Should I run after stretching?',
      'order-flip': 'Should I stretch after running?',
    }),
  },
];
