import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServerCertificate } from './certificate.ts';

describe('AutoMTLS server certificate', () => {
  it('is a valid self-signed CA certificate for localhost with server and client auth, every time', () => {
    // A random serial once produced non-minimal DER (1 in 256): generate enough to catch that class of bug.
    for (let i = 0; i < 600; i++) {
      const certificate = createServerCertificate();
      const parsed = new X509Certificate(certificate.der);
      expect(parsed.verify(parsed.publicKey)).toBe(true);
      if (i === 0) {
        expect(parsed.subjectAltName).toBe('DNS:localhost');
        expect(parsed.ca).toBe(true);
        expect(parsed.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
        expect(new Date(parsed.validTo).getTime()).toBeGreaterThan(Date.now());
        expect(certificate.certPem).toContain('-----BEGIN CERTIFICATE-----');
      }
    }
  });
});
