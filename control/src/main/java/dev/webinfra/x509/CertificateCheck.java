package dev.webinfra.x509;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Checks a certificate and key for the site before anything runs: both PEM, the key unencrypted and
 * matching the certificate, the certificate covering every name of the site (and, for one already
 * on a host, valid now). Each problem is one message naming the file and what is wrong. What makes
 * a certificate poor rather than unusable is {@code tls.CertificateFindings}.
 */
public final class CertificateCheck {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private CertificateCheck() {}

  /**
   * What stops the pair from serving {@code names} at all, whatever the time: PEM texts (null:
   * could not be read, and said so already) that hold no certificate or no usable key, a key that
   * is not the certificate's, names the certificate does not cover. {@code certFile} and {@code
   * keyFile} only name them in messages.
   */
  public static List<String> problems(
      String certFile, String certPem, String keyFile, String keyPem, List<String> names) {
    List<String> out = new ArrayList<>();
    X509Certificate cert = null;
    PrivateKey key = null;
    try {
      cert = certPem == null ? null : Pem.certificates(certPem).get(0);
    } catch (Pem.Invalid e) {
      out.add("tls.cert " + certFile + ": " + e.getMessage());
    }
    try {
      key = keyPem == null ? null : Pem.privateKey(keyPem);
    } catch (Pem.Invalid e) {
      out.add("tls.key " + keyFile + ": " + e.getMessage());
    }
    if (cert == null) {
      return out;
    }
    List<String> covered = names(cert);
    List<String> missing =
        names.stream().filter(n -> covered.stream().noneMatch(c -> matches(c, n))).toList();
    if (!missing.isEmpty()) {
      out.add(
          "tls.cert "
              + certFile
              + ": does not cover "
              + String.join(", ", missing)
              + " (it is for: "
              + (covered.isEmpty() ? "no name" : String.join(", ", covered))
              + ")");
    }
    if (key != null && !matchesKey(cert, key)) {
      out.add(
          "tls.key "
              + keyFile
              + ": does not match the certificate in "
              + certFile
              + " (its public key is another)");
    }
    return out;
  }

  /**
   * As {@link #problems(String, String, String, String, List)}, and the certificate valid at {@code
   * now}: whether a certificate already on a host still serves.
   */
  public static List<String> problems(
      String certFile,
      String certPem,
      String keyFile,
      String keyPem,
      List<String> names,
      Instant now) {
    List<String> out = problems(certFile, certPem, keyFile, keyPem, names);
    if (!out.isEmpty()) {
      return out;
    }
    X509Certificate cert;
    try {
      cert = Pem.certificates(certPem).get(0);
    } catch (Pem.Invalid e) {
      return List.of("tls.cert " + certFile + ": " + e.getMessage());
    }
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      out.add(
          "tls.cert "
              + certFile
              + ": expired on "
              + cert.getNotAfter().toInstant()
              + " (now "
              + now
              + ")");
    } else if (now.isBefore(cert.getNotBefore().toInstant())) {
      out.add(
          "tls.cert "
              + certFile
              + ": not valid before "
              + cert.getNotBefore().toInstant()
              + " (now "
              + now
              + ")");
    }
    return out;
  }

  /** The DNS names a certificate is for: its subject alternative names, else its common name. */
  public static List<String> names(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (((Integer) san.get(0)) == 2) {
            out.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return out;
    }
    if (out.isEmpty()) {
      String dn = cert.getSubjectX500Principal().getName();
      for (String part : dn.split(",")) {
        if (part.startsWith("CN=")) {
          out.add(part.substring(3).toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /**
   * Whether a certificate name covers a host name, as browsers match (RFC 6125, CA/Browser Forum):
   * a wildcard is a whole leftmost label ({@code *.foobar.com}, not {@code w*.foobar.com}), stands
   * for exactly one label, and needs at least two labels after it ({@code *.com} covers nothing).
   */
  public static boolean matches(String pattern, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String p = pattern.toLowerCase(Locale.ROOT);
    if (p.startsWith("*.")) {
      String rest = p.substring(2);
      int dot = n.indexOf('.');
      return rest.indexOf('.') > 0
          && !rest.contains("*")
          && dot > 0
          && n.substring(dot + 1).equals(rest);
    }
    return !p.contains("*") && p.equals(n);
  }

  // Proves the pair: an RSA key by its modulus and exponent (signing with a 16384-bit key takes
  // seconds), any other by signing with the key and verifying with the certificate.
  private static boolean matchesKey(X509Certificate cert, PrivateKey key) {
    if (key instanceof RSAPrivateCrtKey rsa) {
      return cert.getPublicKey() instanceof RSAPublicKey pub
          && pub.getModulus().equals(rsa.getModulus())
          && pub.getPublicExponent().equals(rsa.getPublicExponent());
    }
    String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : null;
    if (alg == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      // BouncyCastle signs on every named curve; the JDK's provider dropped most since 16.
      Signature s = Signature.getInstance(alg, BC);
      s.initSign(key);
      s.update(challenge);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg, BC);
      v.initVerify(cert.getPublicKey());
      v.update(challenge);
      return v.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
