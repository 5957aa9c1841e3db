// @nlpjs/language ships no types; this declares only the part the language benchmark uses.
declare module '@nlpjs/language' {
  export class Language {
    guessBest(text: string): { alpha3: string; alpha2?: string; language: string; score: number };
  }
}
