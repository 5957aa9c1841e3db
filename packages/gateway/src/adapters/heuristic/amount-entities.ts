/**
 * Money, percentages and plain numbers, with the amount normalized ("1.200 €" → "1200 EUR") so a
 * consumer need not know the writer's locale. Thousands separators vary (1,200 / 1.200 / 1 200 /
 * 1'200): a separator followed by exactly three digits is read as grouping, otherwise as decimals.
 */
import type { EntitySpan } from './entity-span.ts';

const currencyBySymbol: Record<string, string> = {
  us$: 'USD',
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '￥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  '₽': 'RUB',
  r$: 'BRL',
  '₺': 'TRY',
  zł: 'PLN',
  元: 'CNY',
  円: 'JPY',
  원: 'KRW',
};
const currencyCodes = [
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CNY',
  'RMB',
  'INR',
  'KRW',
  'RUB',
  'BRL',
  'CHF',
  'CAD',
  'AUD',
  'MXN',
  'TRY',
  'PLN',
  'SEK',
  'NOK',
  'DKK',
];
const currencyByWord: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:dollars?|dólar(?:es)?|dollari|dollar|долларов|доллара|доллар|ドル|美元|달러|डॉलर)$/i, 'USD'],
  [/^(?:euros?|eur|евро|ユーロ|欧元|유로)$/i, 'EUR'],
  [/^(?:pounds?|livres? sterling|sterling)$/i, 'GBP'],
  [/^(?:yen|円|日元)$/i, 'JPY'],
  [/^(?:yuan|人民币|renminbi)$/i, 'CNY'],
  [/^(?:rupees?|roupies?|rupien|रुपये|रुपए)$/i, 'INR'],
  [/^(?:rubles?|roubles?|рублей|рубля|рубль)$/i, 'RUB'],
  [/^(?:reais|real)$/i, 'BRL'],
  [/^(?:lira|liras|lire)$/i, 'TRY'],
  [/^(?:złoty|zloty|złotych)$/i, 'PLN'],
  [/^(?:kronor|kr)$/i, 'SEK'],
  [/^(?:won)$/i, 'KRW'],
];

const number = String.raw`\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`;
const multiplier = String.raw`(?:\s?(?:k|K|thousand|million|millions|billion|billions|bn|Mio\.?|Mrd\.?|Millionen|millones|milioni|milhões))?`;
const symbols = String.raw`US\$|R\$|[$€£¥￥₹₩₽₺]`;
const codes = currencyCodes.join('|');
const words = `dollars?|dólar(?:es)?|dollari|euros?|pounds?|yen|yuan|rupees?|roupies?|rubles?|roubles?|reais|lira|liras|złoty|zloty|kronor|won|евро|доллар(?:ов|а)?|рубл(?:ей|я|ь)|ドル|ユーロ|円|元|美元|欧元|人民币|日元|달러|원|유로|डॉलर|रुपये|रुपए|zł|CHF`;

const prefixed = new RegExp(
  String.raw`(?<![\p{Script=Latin}\d])(${symbols}|(?:${codes}))\s?(${number})(${multiplier})(?!\d)`,
  'gu',
);
// Only Latin letters count as word edges: Japanese and Chinese write "費用は5000円です" without spaces.
const suffixed = new RegExp(
  String.raw`(?<![\p{Script=Latin}\d.,])(${number})(${multiplier})\s?(${symbols}|${codes}|${words})(?![\p{Script=Latin}])`,
  'giu',
);
const percentage = new RegExp(
  String.raw`(?<![\p{Script=Latin}\d.,])(${number})\s?(?:%|％|percent|per cent|pour ?cent|prozent|por ciento|per cento|procent|por cento|процент(?:ов|а)?|パーセント)(?![\p{Script=Latin}])`,
  'giu',
);
const plainNumber = new RegExp(String.raw`(?<![\p{Script=Latin}\d.,])-?(?:${number})(?![\d]|[.,]\d)`, 'gu');

const scale: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  million: 1e6,
  millions: 1e6,
  mio: 1e6,
  millionen: 1e6,
  millones: 1e6,
  milioni: 1e6,
  milhões: 1e6,
  billion: 1e9,
  billions: 1e9,
  bn: 1e9,
  mrd: 1e9,
};

/** Reads "1.200,50", "1,200.50", "1 200", "19.99" and "10.000" the way their writers meant them. */
export function parseAmount(text: string): number {
  const compact = text.replace(/[\s'\u00a0\u202f]/g, '');
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const grouping = decimal === '.' ? ',' : '.';
    return Number(compact.split(grouping).join('').replace(decimal, '.'));
  }
  const separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : '';
  if (!separator) return Number(compact);
  const parts = compact.split(separator);
  const grouped = parts.length > 2 || parts[1]!.length === 3;
  return Number(grouped ? parts.join('') : parts.join('.'));
}

function applyMultiplier(amount: number, word: string): number {
  const key = word.trim().toLowerCase().replace(/\.$/, '');
  return amount * (scale[key] ?? 1);
}

function currencyOf(marker: string, language: string): string {
  const trimmed = marker.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'RMB') return 'CNY';
  if (currencyCodes.includes(upper)) return upper;
  // ¥ and 元 are yuan in Chinese text and yen elsewhere.
  if ((trimmed === '¥' || trimmed === '￥') && language === 'zh') return 'CNY';
  const bySymbol = currencyBySymbol[trimmed.toLowerCase()];
  if (bySymbol) return bySymbol;
  return currencyByWord.find(([pattern]) => pattern.test(trimmed))?.[1] ?? upper;
}

const formatAmount = (amount: number) => String(Number(amount.toFixed(6)));

export function findAmounts(text: string, language: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  const taken = (start: number, end: number) => spans.some((span) => start < span.end && end > span.start);
  for (const match of text.matchAll(prefixed)) {
    const amount = applyMultiplier(parseAmount(match[2]!), match[3] ?? '');
    const value = `${formatAmount(amount)} ${currencyOf(match[1]!, language)}`;
    spans.push({ type: 'money', value, start: match.index, end: match.index + match[0].length });
  }
  for (const match of text.matchAll(suffixed)) {
    const end = match.index + match[0].length;
    if (taken(match.index, end)) continue;
    const amount = applyMultiplier(parseAmount(match[1]!), match[2] ?? '');
    const value = `${formatAmount(amount)} ${currencyOf(match[3]!, language)}`;
    spans.push({ type: 'money', value, start: match.index, end });
  }
  for (const match of text.matchAll(percentage)) {
    const end = match.index + match[0].length;
    if (taken(match.index, end)) continue;
    spans.push({
      type: 'percentage',
      value: `${formatAmount(parseAmount(match[1]!))}%`,
      start: match.index,
      end,
    });
  }
  return spans;
}

/** Numbers not already claimed by another entity (dates, money, phones …) are reported as numbers. */
export function findNumbers(text: string, claimed: readonly EntitySpan[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const match of text.matchAll(plainNumber)) {
    const end = match.index + match[0].length;
    if (claimed.some((span) => match.index < span.end && end > span.start)) continue;
    spans.push({ type: 'number', value: formatAmount(parseAmount(match[0])), start: match.index, end });
  }
  return spans;
}
