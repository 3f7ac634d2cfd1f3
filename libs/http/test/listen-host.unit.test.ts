import { listenHost } from '@tributary/config';

describe('listenHost', () => {
  it('when demo mode is on and HOST is unset, then services bind loopback only', () => {
    expect(listenHost({ TRIBUTARY_DEMO: '1' })).toBe('127.0.0.1');
  });

  it('when demo mode is off and HOST is unset, then every interface (containers; documented)', () => {
    expect(listenHost({})).toBe('0.0.0.0');
  });

  it('when HOST is set, then it wins in either mode; an IPv6 literal loses its brackets', () => {
    expect(listenHost({ HOST: '10.0.0.5' })).toBe('10.0.0.5');
    expect(listenHost({ HOST: '0.0.0.0', TRIBUTARY_DEMO: '1' })).toBe('0.0.0.0');
    expect(listenHost({ HOST: '[::1]' })).toBe('::1');
  });

  it('when HOST is not an address, then the error names HOST', () => {
    expect(() => listenHost({ HOST: 'http://x/' })).toThrow(/^HOST: must be an IP address or a host name/);
  });
});
