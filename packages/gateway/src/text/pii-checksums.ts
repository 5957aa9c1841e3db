/**
 * Check-digit tests that separate real identifiers from look-alike digit runs, so PII detection
 * does not redact order numbers or timestamps that merely have the right length.
 */

/** Luhn (mod 10) check used by every payment card scheme. `digits` holds digits only. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * ISO 13616 IBAN check: move the first four characters to the end, letters become 10–35, and the
 * number mod 97 must be 1. `iban` holds no spaces. Computed in chunks to stay within doubles.
 */
export function passesIbanCheck(iban: string): boolean {
  const compact = iban.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? String(character.charCodeAt(0) - 55) : character;
    remainder = Number(`${remainder}${value}`) % 97;
  }
  return remainder === 1;
}

/** US SSN rules: area 000, 666 and 900–999, group 00 and serial 0000 are never issued. */
export function isPlausibleSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  return areaNumber !== 0 && areaNumber !== 666 && areaNumber < 900 && group !== '00' && serial !== '0000';
}
