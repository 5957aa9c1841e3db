import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on Node.js 24 LTS (or newer), the version the project targets', () => {
    const [major] = process.versions.node.split('.').map(Number);
    expect(major).toBeGreaterThanOrEqual(24);
  });

  it('has the built-in SQLite module the embedded database needs', async () => {
    const sqlite = await import('node:sqlite');
    expect(typeof sqlite.DatabaseSync).toBe('function');
  });
});
