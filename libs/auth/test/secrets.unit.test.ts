import {
  can,
  hashPassword,
  hashSecret,
  newSecret,
  roleAtLeast,
  safeEqual,
  TOKEN_PREFIX,
  verifyPassword,
} from '../src';

describe('passwords', () => {
  it('when a password is hashed, then only that password verifies and the hash does not contain it', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('correct');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', hash)).resolves.toBe(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('when a stored hash is malformed, then nothing verifies against it', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$0$8$1$AA$AA')).resolves.toBe(false);
  });
});

describe('tokens', () => {
  it('when a token is made, then it carries the prefix, 256 bits, and a stable sha256 to look it up by', () => {
    const token = newSecret(TOKEN_PREFIX);
    expect(token).toMatch(/^trb_[\w-]{43}$/);
    expect(hashSecret(token)).toBe(hashSecret(token));
    expect(hashSecret(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(newSecret(TOKEN_PREFIX)).not.toBe(token);
  });

  it('when strings of different lengths are compared, then safeEqual says no without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('roles', () => {
  it('when roles are compared, then each includes the ones below it', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
    expect(can('viewer', 'runs:read')).toBe(true);
    expect(can('viewer', 'sync:request')).toBe(false);
    expect(can('operator', 'sync:request')).toBe(true);
    expect(can('operator', 'accounts:manage')).toBe(false);
    expect(can('admin', 'accounts:manage')).toBe(true);
  });
});
