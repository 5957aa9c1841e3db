/**
 * fastText's language-identification model (lid.176, quantized, 176 labels) as shipped inside the
 * `fasttext.wasm.js` package: nothing is downloaded at install or run time. Loading compiles the
 * WebAssembly module and reads the 0.9 MB model (asynchronous, once); every prediction afterwards is
 * synchronous. Why this model: docs/architecture/0043-language-detection-fasttext.md.
 */
import { getLIDModel } from 'fasttext.wasm.js';

export interface LabelScore {
  /** fastText's label: mostly ISO 639-1, otherwise the Wikipedia code (`als`, `bar`, `sh`, `nap` …). */
  label: string;
  probability: number;
}

export interface LanguageModel {
  /** Every label with its probability, best first. */
  predict(text: string): LabelScore[];
}

const labelCount = 176;
const labelPrefix = '__label__';

export async function loadFastTextModel(): Promise<LanguageModel> {
  const model = await (await getLIDModel()).load();
  return {
    predict(text) {
      // fastText reads one line: a line break would end the input early.
      const scores = model.predict(text.replace(/\s+/g, ' '), labelCount, 0);
      try {
        const ranked: LabelScore[] = [];
        for (let index = 0; index < scores.size(); index++) {
          const [probability, label] = scores.get(index);
          ranked.push({ label: label.slice(labelPrefix.length), probability });
        }
        return ranked;
      } finally {
        // The result lives on the WebAssembly heap: without delete() each call leaks about 1 KB.
        scores.delete();
      }
    },
  };
}
