/**
 * The shape of answer the user asked for, from phrasing. First match wins, in this order:
 * json > table > code > list > number > boolean > text — "a JSON list" is json, "a function that
 * returns a list" is code, "a table listing…" is a table.
 */
import type { Intent, PromptAnalysis } from '@structured-prompt/contracts';
import { isQuestion } from './classify-intent.ts';
import { yesNoOpeners } from './intent-keywords.ts';

export type OutputFormat = PromptAnalysis['output_format'];

const edge = '(?<![\\p{L}])';
const end = '(?![\\p{L}])';
const json = new RegExp(`${edge}(?:json|jsonl|ndjson)${end}`, 'iu');
// "Book a table" is furniture, so table needs a format-ish context or another word for it.
const table = new RegExp(
  `${edge}(?:as a table|in a table|in table form|into a table|table format|a table (?:of|with|comparing|showing|listing)|tabular|spreadsheet|csv|tableau|tabelle|tabla|tabella|tabela|tabel|таблиц\\p{L}*)${end}|表に|表で|表形式|表格|표로`,
  'iu',
);
const code = new RegExp(
  `${edge}(?:code|function|script|snippet|regex|regular expression|sql query|class|method|program|implementation|python|javascript|typescript|java|rust|golang|c\\+\\+|c#|bash|shell command|html|css|fonction|funktion|función|funzione|função|código|codice|функци\\p{L}*|код)${end}|コード|関数|代码|函数|코드|함수`,
  'iu',
);
const list = new RegExp(
  `${edge}(?:list|lists|bullet|bullets|bullet points|enumerate|numbered|top \\d+|liste|listes|stichpunkt\\p{L}*|aufzählung|lista|listă|listy|listę|viñetas|elenco|elenca|tópicos|lijst|punten|punkter|punkty|список|пункт\\p{L}*|listesi)${end}|箇条書き|リスト|一覧|列表|列出|要点|목록|सूची|قائمة|نقاط`,
  'iu',
);
const quantity =
  /(?<!\p{L})(?:how much|how many|combien|wie viel\p{L}*|wie hoch|cuánto|cuánta|cuántos|quanto|quanta|quantos|hoeveel|сколько|hur mycket|hur många|ile|kaç)(?!\p{L})|何円|何時間|何人|いくら|多少|几|얼마|몇|कितने|कितना|كم/iu;

export function detectOutputFormat(text: string, intent: Intent): OutputFormat {
  if (json.test(text)) return 'json';
  if (intent !== 'book' && table.test(text)) return 'table';
  // Code is an answer format only when something is to be produced; "explain this code" is text.
  if ((intent === 'create' || intent === 'convert' || intent === 'other') && code.test(text)) return 'code';
  if (list.test(text)) return 'list';
  if (intent === 'calculate' || intent === 'convert') return 'number';
  if (intent === 'question' && quantity.test(text)) return 'number';
  if (intent === 'question' && isQuestion(text) && yesNoOpeners.test(text.trim())) return 'boolean';
  return 'text';
}
