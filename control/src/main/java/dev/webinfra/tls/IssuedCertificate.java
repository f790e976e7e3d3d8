package dev.webinfra.tls;

/** A certificate and its private key, PEM-encoded, with the issuing CA's certificate. */
public record IssuedCertificate(
    String certificatePem, String privateKeyPem, String caCertificatePem) {

  /** Certificate, chain and key in one file, as HAProxy's {@code crt} wants it. */
  public String haproxyPem() {
    return certificatePem + caCertificatePem + privateKeyPem;
  }
}
