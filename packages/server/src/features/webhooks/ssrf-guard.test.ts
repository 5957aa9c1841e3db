import { describe, expect, it } from 'vitest';
import { SsrfGuard } from './ssrf-guard.ts';

describe('SSRF guard', () => {
  const strict = new SsrfGuard({ allowHttp: false, allowedCidrs: [] });

  it('refuses loopback, private, link-local, metadata, multicast and unique-local addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      'fd00:ec2::254',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(strict.isAllowedAddress(address), address).toBe(false);
    }
  });

  it('admits public unicast addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) {
      expect(strict.isAllowedAddress(address), address).toBe(true);
    }
  });

  it('admits what an allow-listed CIDR covers, and nothing next to it', () => {
    const guard = new SsrfGuard({ allowHttp: true, allowedCidrs: ['127.0.0.1/32', '10.8.0.0/16'] });
    expect(guard.isAllowedAddress('127.0.0.1')).toBe(true);
    expect(guard.isAllowedAddress('127.0.0.2')).toBe(false);
    expect(guard.isAllowedAddress('10.8.200.1')).toBe(true);
    expect(guard.isAllowedAddress('10.9.0.1')).toBe(false);
  });

  it('refuses non-https URLs, credentials and private IP literals at registration', () => {
    for (const url of [
      'http://hooks.example.com/x',
      'ftp://hooks.example.com/x',
      'https://user:pass@hooks.example.com/x',
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://10.0.0.5/x',
      'https://169.254.169.254/latest/meta-data',
      'not a url',
    ]) {
      expect(() => strict.checkUrl(url), url).toThrow(
        expect.objectContaining({ code: 'webhook_url_refused' }),
      );
    }
    expect(strict.checkUrl('https://hooks.example.com/x').hostname).toBe('hooks.example.com');
  });

  it('fails a connection whose name resolves to a refused address', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      strict.lookup('localhost', {}, (failure) => resolve(failure)),
    );
    expect(error?.message).toMatch(/localhost resolves to .* not a public address/);
  });
});
