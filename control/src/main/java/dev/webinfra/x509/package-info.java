/**
 * Certificates and keys as text: reading and writing PEM ({@link dev.webinfra.x509.Pem}) and what
 * makes a certificate and key unusable for a site whatever the time ({@link
 * dev.webinfra.x509.CertificateCheck}). It depends on nothing of webinfra's, so that the topology
 * loader can refuse an unusable pair at load, and {@code tls} (the lab CA, the findings of {@code
 * check}), which reads the topology, can use it too without a cycle.
 */
package dev.webinfra.x509;
