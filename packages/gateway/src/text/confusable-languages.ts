/**
 * Languages whose written standards are nearly identical: Danish and Norwegian, Indonesian and
 * Malay, Serbian, Croatian and Bosnian. On a short prompt fastText splits its probability between
 * them almost at random, so each group competes as one (the members' probabilities added) and the
 * member is then chosen by what does differ in writing:
 * 1. a script only one member writes (Serbian Cyrillic);
 * 2. spelling markers only one member uses (Danish "af/mig/hvad/-hed/vej", Norwegian "av/meg/hva/
 *    -het/vei"; Indonesian "besok/bisa/karena/-itas", Malay "esok/mahu/kerana/-iti"; Serbian ekavian
 *    "vreme/gde/posle", Croatian and Bosnian ijekavian "vrijeme/gdje/poslije", Croatian "tko/tjedan");
 * 3. without markers, the model's probability weighted by how many people write each standard: text
 *    valid in both is likelier to come from the larger community.
 */

/** Whole words (case-insensitive). */
const words = (list: readonly string[]) => new RegExp(`(?<!\\p{L})(?:${list.join('|')})(?!\\p{L})`, 'giu');
/** Word beginnings (case-insensitive). */
const stems = (list: readonly string[]) => new RegExp(`(?<!\\p{L})(?:${list.join('|')})`, 'giu');
/** Word endings (case-insensitive). */
const endings = (list: readonly string[]) => new RegExp(`\\p{L}(?:${list.join('|')})(?!\\p{L})`, 'giu');

interface ConfusableGroup {
  members: readonly string[];
  /** Millions of people who write each standard (approximate): the prior when nothing else tells. */
  writers: Readonly<Record<string, number>>;
  scripts?: Readonly<Record<string, RegExp>>;
  markers: Readonly<Record<string, readonly RegExp[]>>;
}

const ijekavian = stems([
  'vrijem',
  'sljed',
  'nedjelj',
  'podsjet',
  'lijep',
  'mlijek',
  'dijete',
  'djec',
  'riječ',
  'pjesm',
  'gdje',
  'ovdje',
  'uvijek',
  'cvijet',
  'svijet',
  'svjet',
  'snijeg',
  'vjet',
  'poslije',
  'prije',
  'rijek',
  'mjest',
  'mjesec',
  'pjev',
  'cijen',
  'cijel',
  'djevojk',
]);

const groups: readonly ConfusableGroup[] = [
  {
    members: ['da', 'no', 'nn'],
    writers: { da: 5.8, no: 4.6, nn: 0.6 },
    markers: {
      da: [
        words([
          'af',
          'hvad',
          'hvornår',
          'mig',
          'dig',
          'sig',
          'nu',
          'efter',
          'lidt',
          'meget',
          'noget',
          'nogen',
        ]),
        words([
          'blive',
          'bliver',
          'blev',
          'give',
          'tage',
          'hedder',
          'uge',
          'ugen',
          'købe',
          'spørge',
          'sætte',
        ]),
        words(['vejr', 'vejret', 'nej', 'hej', 'tak', 'musik']),
        endings(['hed', 'heden', 'tion', 'tionen', 'tioner']),
        // From the start of a word only: tried inside a long word, it would rescan the word each time.
        /(?<!\p{L})\p{L}*[eø]j\p{L}*/giu,
      ],
      no: [
        words(['av', 'hva', 'meg', 'deg', 'seg', 'nå', 'etter', 'litt', 'mye', 'noe', 'noen', 'bli', 'blir']),
        words(['ble', 'gi', 'ta', 'heter', 'uke', 'uken', 'kjøpe', 'spørre', 'sette', 'vær', 'været', 'nei']),
        words(['hei', 'takk', 'musikk']),
        endings(['het', 'heten', 'sjon', 'sjonen', 'sjoner']),
        // Norwegian doubles a final consonant after a short vowel (jobb, nett, stopp); Danish does not.
        /\p{L}(?:bb|dd|gg|kk|pp|tt|mm|nn)(?!\p{L})/giu,
        /(?<!\p{L})\p{L}*(?:ei|øy)\p{L}*/giu,
      ],
      nn: [words(['ikkje', 'eg', 'kva', 'kvifor', 'korleis', 'kven', 'eit', 'dykk'])],
    },
  },
  {
    members: ['id', 'ms'],
    writers: { id: 200, ms: 30 },
    markers: {
      id: [
        words(['besok', 'bisa', 'mau', 'saja', 'aja', 'nggak', 'gak', 'enggak', 'uang', 'kantor', 'mobil']),
        words(['sepeda', 'gratis', 'karena', 'jadwal', 'bioskop', 'kapan', 'setel', 'tampilkan', 'silakan']),
        words(['telepon', 'polisi', 'taksi', 'sih', 'dong', 'deh', 'kok', 'banget']),
        /elepon|beda|inggris/giu,
        endings(['itas']),
      ],
      ms: [
        words(['esok', 'mahu', 'sahaja', 'wang', 'pejabat', 'kereta', 'basikal', 'percuma', 'kerana']),
        words(['jadual', 'pawagam', 'adakah', 'sila', 'telefon', 'polis', 'teksi', 'awak', 'baharu']),
        words(['paparkan', 'beritahu']),
        /elefon|beza|inggeris/giu,
        endings(['iti']),
      ],
    },
  },
  {
    members: ['sr', 'hr', 'bs'],
    writers: { sr: 8, hr: 5.2, bs: 2.5 },
    scripts: { sr: /\p{Script=Cyrillic}/u },
    markers: {
      sr: [
        stems([
          'vrem',
          'sled',
          'nedel',
          'podset',
          'lep',
          'mlek',
          'dete',
          'deca',
          'dec[aeiou]',
          'reč',
          'pesm',
        ]),
        stems([
          'gde',
          'ovde',
          'uvek',
          'cvet',
          'svet',
          'hleb',
          'sneg',
          'vet[ar]',
          'posle',
          'rek[aeu]',
          'mest',
        ]),
        stems(['mesec', 'pev', 'cen[aeiu]', 'cel[aeiou]', 'devojk']),
        words(['pre', 'deo', 'da li']),
        stems(['tač']),
      ],
      hr: [
        ijekavian,
        words(['dio', 'tko', 'je li', 'kruh', 'vlak']),
        stems(['tjed', 'glazb', 'tisuć', 'toč']),
      ],
      bs: [ijekavian, words(['dio', 'da li', 'lahko', 'mehko', 'sahat']), stems(['hljeb', 'kahv'])],
    },
  },
];

function markerCount(text: string, markers: readonly RegExp[]): number {
  return markers.reduce((sum, marker) => sum + (text.match(marker)?.length ?? 0), 0);
}

function chooseMember(group: ConfusableGroup, present: string[], scores: Map<string, number>, text: string) {
  for (const [member, script] of Object.entries(group.scripts ?? {})) if (script.test(text)) return member;
  const hits = new Map(present.map((member) => [member, markerCount(text, group.markers[member] ?? [])]));
  const mostHits = Math.max(...hits.values());
  const shortlist = present.filter((member) => hits.get(member) === mostHits);
  const weighted = (member: string) => (scores.get(member) ?? 0) * (group.writers[member] ?? 1);
  return shortlist.reduce((best, member) => (weighted(member) > weighted(best) ? member : best));
}

/**
 * Merges each group's members into one entry holding the group's whole probability, keyed by the
 * group's first member, and returns how to name the language an entry stands for. Which member the
 * text points to is worked out only for the entry asked about, the detector's winner: choosing for
 * every group present would run each group's spelling markers over the text on every call, though
 * only the winning group's choice is ever read.
 */
export function mergeConfusableLanguages(
  scores: Map<string, number>,
  text: string,
): (language: string) => string {
  const merged = new Map<
    string,
    { group: ConfusableGroup; present: string[]; memberScores: Map<string, number> }
  >();
  for (const group of groups) {
    const present = group.members.filter((member) => scores.has(member));
    if (present.length === 0) continue;
    const memberScores = new Map(present.map((member) => [member, scores.get(member) ?? 0]));
    const total = present.reduce((sum, member) => sum + (memberScores.get(member) ?? 0), 0);
    for (const member of present) scores.delete(member);
    const key = group.members[0]!;
    scores.set(key, total);
    merged.set(key, { group, present, memberScores });
  }
  return (language) => {
    const entry = merged.get(language);
    return entry ? chooseMember(entry.group, entry.present, entry.memberScores, text) : language;
  };
}
