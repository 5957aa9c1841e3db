import { stringify } from 'yaml';

/** Offers text as a file download, built in the page (nothing leaves the browser). */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function exportJson(fileName: string, value: unknown): void {
  download(`${fileName}.json`, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

export function exportYaml(fileName: string, value: unknown): void {
  download(`${fileName}.yaml`, stringify(value), 'application/yaml');
}
