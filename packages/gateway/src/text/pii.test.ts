import { describe, expect, it } from 'vitest';
import { scanPii } from './pii.ts';
import { isPlausibleSsn, passesIbanCheck, passesLuhn } from './pii-checksums.ts';

const typesOf = (text: string) => scanPii(text).findings.map((finding) => finding.type);

describe('checksums', () => {
  it('accepts Luhn-valid card numbers and rejects a changed digit', () => {
    // Published test numbers of the card schemes.
    for (const card of ['4111111111111111', '5500005555555559', '378282246310005', '6011111111111117']) {
      expect(passesLuhn(card)).toBe(true);
    }
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('1234567812345678')).toBe(false);
  });

  it('accepts IBANs whose mod-97 remainder is 1 and rejects a typo', () => {
    expect(passesIbanCheck('DE89370400440532013000')).toBe(true);
    expect(passesIbanCheck('GB82WEST12345698765432')).toBe(true);
    expect(passesIbanCheck('FR1420041010050500013M02606')).toBe(true);
    expect(passesIbanCheck('DE89370400440532013001')).toBe(false);
    expect(passesIbanCheck('GB82WEST1234569876543')).toBe(false);
  });

  it('knows which SSN ranges are never issued', () => {
    expect(isPlausibleSsn('123', '45', '6789')).toBe(true);
    expect(isPlausibleSsn('000', '45', '6789')).toBe(false);
    expect(isPlausibleSsn('666', '45', '6789')).toBe(false);
    expect(isPlausibleSsn('912', '45', '6789')).toBe(false);
    expect(isPlausibleSsn('123', '00', '6789')).toBe(false);
  });
});

describe('scanPii', () => {
  it('redacts an e-mail address with a typed, numbered placeholder', () => {
    const text = 'Send the invoice to jane.doe@example.com and cc billing@acme.io';
    const scan = scanPii(text);
    expect(scan.redactedText).toBe('Send the invoice to [EMAIL_1] and cc [EMAIL_2]');
    expect(scan.findings[0]).toEqual({ type: 'email', start: 20, end: 40, placeholder: '[EMAIL_1]' });
    expect(text.slice(scan.findings[0]!.start, scan.findings[0]!.end)).toBe('jane.doe@example.com');
  });

  it('gives the same value the same placeholder', () => {
    const scan = scanPii('Mail Jane@Example.com, then mail jane@example.com again');
    expect(scan.redactedText).toBe('Mail [EMAIL_1], then mail [EMAIL_1] again');
  });

  it('redacts Luhn-valid card numbers only', () => {
    expect(scanPii('Charge card 4111 1111 1111 1111 today').redactedText).toBe('Charge card [CARD_1] today');
    expect(scanPii('Card 4111-1111-1111-1111').findings.map((f) => f.type)).toEqual(['card']);
    expect(typesOf('Order 4111 1111 1111 1112 shipped')).not.toContain('card');
  });

  it('redacts valid IBANs, spaced or not, and leaves invalid ones', () => {
    expect(scanPii('Pay to DE89 3704 0044 0532 0130 00 by Friday').redactedText).toBe(
      'Pay to [IBAN_1] by Friday',
    );
    expect(scanPii('IBAN FR1420041010050500013M02606.').redactedText).toBe('IBAN [IBAN_1].');
    expect(typesOf('Pay to DE89 3704 0044 0532 0130 01 by Friday')).not.toContain('iban');
  });

  it('does not let an IBAN swallow the next word', () => {
    expect(scanPii('Send 50 EUR to GB82 WEST 1234 5698 7654 32 ASAP').redactedText).toBe(
      'Send 50 EUR to [IBAN_1] ASAP',
    );
  });

  it('redacts IPv4 and IPv6 addresses but not versions or times', () => {
    expect(scanPii('Block 192.168.10.25 and 2001:db8::8a2e:370:7334 now').redactedText).toBe(
      'Block [IP_1] and [IP_2] now',
    );
    expect(typesOf('Upgrade to 300.1.2.3 at 12:30:45')).toEqual([]);
  });

  it('redacts US SSNs and UK National Insurance numbers as national ids', () => {
    expect(scanPii('My SSN is 123-45-6789.').redactedText).toBe('My SSN is [NATIONAL_ID_1].');
    expect(typesOf('SSN 666-45-6789')).not.toContain('national_id');
    expect(scanPii('NI number AB 12 34 56 C').redactedText).toBe('NI number [NATIONAL_ID_1]');
  });

  it('redacts phone numbers in international and national forms', () => {
    const scan = scanPii('Call +33 6 12 34 56 78 or (555) 123-4567, or +1-202-555-0143');
    expect(scan.redactedText).toBe('Call [PHONE_1] or [PHONE_2], or [PHONE_3]');
  });

  it('treats the same number written twice as one placeholder', () => {
    expect(scanPii('+33 6 12 34 56 78 = +33612345678').redactedText).toBe('[PHONE_1] = [PHONE_1]');
  });

  it('does not take dates, years, amounts or order ids for phone numbers', () => {
    expect(typesOf('Meeting on 2024-03-12, budget 1,250,000 USD, since 1999, ref 12.03.2024')).toEqual([]);
  });

  it('leaves digits inside URLs alone', () => {
    expect(typesOf('See https://shop.example.com/orders/555-123-4567/items')).toEqual([]);
  });

  it('returns the text unchanged when there is nothing to redact', () => {
    const text = 'Translate Hello World to French';
    expect(scanPii(text)).toEqual({ findings: [], redactedText: text });
  });
});
