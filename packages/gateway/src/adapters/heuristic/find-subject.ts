/**
 * What the request is about, in a few words.
 *
 * 1. Quoted text wins: in "Summarize 'The Old Man and the Sea'" the quote is the subject.
 * 2. Otherwise the object of the deciding verb: the text after it ("Translate Hello World to
 *    French" → "Hello World"), or after the question opener ("What is the capital of Australia?"
 *    → "capital of Australia"). Japanese and Korean mark the object with を/을/를, so the phrase
 *    before the particle is taken; Chinese 把 X … likewise.
 * 3. That text is cut at the first clause break, date/time, language name ("to French") or answer
 *    format phrase ("in three bullet points", "as a table"); leading articles, demonstratives and
 *    polite words and trailing prepositions are dropped; at most ten words remain.
 * 4. Nothing left → the first words of the prompt.
 */
import type { Intent } from '@structured-prompt/contracts';
import type { EntitySpan } from './entity-span.ts';
import { questionOpeners } from './intent-keywords.ts';

export interface SubjectInput {
  intent: Intent;
  verbEnd?: number;
  entities: readonly EntitySpan[];
}

const cut = '\u0000';
const maximumWords = 10;
const maximumLength = 120;

const formatTail =
  /(?<!\p{L})(?:as|in|into|en|sous forme d[e']|als|in|como|em|op|на|で)\s+(?:(?:a|an|une?|einer?|una?|um|uma|een|\p{N}+|\p{L}+)\s+){0,2}(?:json|table|tableau|tabelle|tabla|tabella|tabela|tabel|list|liste|lista|lijst|bullet points?|bullets|points?|punkten|punkter|punti|puntos|pontos|sentences?|phrases?|sätzen|frases|frasi|zinnen|lines?|lignes|zeilen|líneas|righe|linhas|words?|mots|wörtern|palabras|parole|palavras|paragraphs?|paragraphes|absätzen|párrafos|paragrafi|tópicos|csv|markdown|yaml)(?!\p{L})/giu;
const clauseBreak =
  /[.!?;:](?=\s|$)|[\n()[\]{}。？！；：]|\s[-–—]\s|(?<!\p{L})(?:and then|so that|because|which|that|who|answer|respond|reply|afin de|damit|para que|perché|porque|omdat)(?!\p{L})/iu;
// A comma between digits is a thousands separator (€1,234.56), not a clause break.
const commaBreak = /,(?!\d)|[，、]/u;
const leadingFiller =
  /^(?:please|pls|me|us|for me|a|an|the|this|that|these|those|some|my|our|your|following|all|s'il te plaît|moi|le|la|les|l'|l’|un|une|des|du|de la|ce|cet|cette|ces|mon|ma|mes|notre|der|die|das|den|dem|des|ein|eine|einen|einem|einer|diesen|diese|dieses|dieser|mir|uns|bitte|folgenden|el|los|las|una|unos|este|esta|estos|estas|lo|gli|il|i|uno|questo|questa|questi|mi|o|os|as|um|uma|esse|essa|het|een|deze|dit|ett|den här|det här|de här|this one|de|di|por favor|per favore|how|wie|comment|cómo|come|como|hoe|hur|как|jak)(?:\s+|$)/iu;
const trailingFiller =
  /\s+(?:to|into|for|in|on|at|of|with|from|by|and|or|about|please|pour|à|au|aux|de|des|du|en|le|la|les|et|ou|sur|für|mit|am|um|an|auf|ins|im|zu|nach|von|und|oder|bitte|para|por|el|al|y|o|con|per|di|a|e|con|il|voor|op|om|naar|met|van|till|på|för|med|och|work|works|mean|means|fonctionne|funktioniert|funciona|funziona|zusammen|samen|uit)$/iu;
const cjkObject = /([^\s、。，！？を을를把]+?)(?:を|을|를)/u;
const cjkTopic = /([^\s、。，！？は는은]+?)(?:は|는|은)/u;
const cjkDemonstrative =
  /^(?:この|その|あの|次の|以下の|これらの|一下|这篇|这个|这段|这两款|这|那个|那|이|그|저|다음)+/u;
const chineseBa = /把([^，。！？]+?)(?:翻译|翻譯|总结|解释|转换|换算|写|发|改)/u;

function tidy(phrase: string): string {
  let result = phrase.trim();
  for (let previous = ''; previous !== result; ) {
    previous = result;
    result = result.replace(leadingFiller, '').replace(trailingFiller, '').trim();
  }
  return result.replace(/^["'“”‘’«»„]+|["'“”‘’«»„,;:]+$/gu, '').trim();
}

function shorten(phrase: string): string {
  const words = phrase.split(/\s+/u);
  const limited = words.length > maximumWords ? words.slice(0, maximumWords).join(' ') : phrase;
  return limited.length > maximumLength ? limited.slice(0, maximumLength).trim() : limited;
}

// After "how" / "wie" …: the measure word of "how much", "wie hoch", then an auxiliary verb.
const afterOpener =
  /^\s*(?:much|many|long|far|old|big|late|hoch|viel|lange|laat|mycket|många)?\s*(?:is|are|was|were|do|does|did|'s|est|sont|ist|sind|es|son|è|é|são|zijn|är|jest|to)?(?!\p{L})/iu;

function questionBody(text: string): number {
  const lead = /^[\s¿¡"'“]*/u.exec(text)?.[0].length ?? 0;
  const opener = questionOpeners.exec(text.slice(lead));
  if (!opener) return lead;
  const offset = lead + opener[0].length;
  return offset + (afterOpener.exec(text.slice(offset))?.[0].length ?? 0);
}

function cjkSubject(text: string): string | undefined {
  const ba = chineseBa.exec(text);
  if (ba) return ba[1]!.replace(cjkDemonstrative, '').replace(/^(?:段|篇|个|句)/u, '') || undefined;
  // The object particle (を/을/를) marks the subject; failing that, the topic particle は/는/은.
  const object = cjkObject.exec(text) ?? cjkTopic.exec(text);
  if (!object) return undefined;
  const phrase = object[1]!.split(/[はがにでとの]/u).pop() ?? object[1]!;
  return phrase.replace(cjkDemonstrative, '') || undefined;
}

export function findSubject(text: string, input: SubjectInput): string {
  const quote = input.entities.find((entity) => entity.type === 'quote');
  if (quote) return shorten(quote.value);
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text)
    ? cjkSubject(text)
    : undefined;
  if (cjk) return shorten(cjk);

  // Mark every place the subject must stop, then read from the verb (or question opener) on.
  // UTF-16 code units, so entity offsets index straight into the array.
  const marked = text.split('');
  for (const entity of input.entities) {
    if (entity.type === 'date' || entity.type === 'time' || entity.type === 'language') {
      for (let index = entity.start; index < entity.end; index++) marked[index] = cut;
    }
  }
  let withCuts = marked.join('').replace(formatTail, (match) => cut.repeat(match.length));
  withCuts = withCuts.replace(new RegExp(clauseBreak.source, 'giu'), (match) => cut.repeat(match.length));
  if (input.intent !== 'compare') withCuts = withCuts.replace(new RegExp(commaBreak.source, 'gu'), cut);
  const from = input.verbEnd ?? questionBody(text);
  const chunks = withCuts
    .slice(from)
    .split(cut)
    .map((chunk) => tidy(chunk).replace(cjkDemonstrative, ''))
    .filter(Boolean);
  const chosen = chunks[0] ?? withCuts.split(cut).map(tidy).find(Boolean) ?? '';
  return tidy(shorten(chosen));
}
