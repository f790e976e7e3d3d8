package dev.webinfra.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks a certificate and key the user gives for the site (tls mode files) before anything runs:
 * both readable PEM, the key unencrypted and matching the certificate, the certificate valid now
 * and covering every name of the site. Each problem is one message naming the file and what is
 * wrong.
 */
public final class CertificateCheck {
  private CertificateCheck() {}

  /** The problems with the pair; empty when it can serve {@code names} at {@code now}. */
  public static List<String> problems(
      Path certFile, Path keyFile, List<String> names, Instant now) {
    List<String> out = new ArrayList<>();
    String certPem = null;
    String keyPem = null;
    try {
      certPem = Files.readString(certFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      out.add("tls.cert " + certFile + ": cannot read: " + e.getMessage());
    }
    try {
      keyPem = Files.readString(keyFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      out.add("tls.key " + keyFile + ": cannot read: " + e.getMessage());
    }
    out.addAll(problems(certFile.toString(), certPem, keyFile.toString(), keyPem, names, now));
    return out;
  }

  /**
   * As {@link #problems(Path, Path, List, Instant)}, for PEM texts (null: could not be read, and
   * said so already); {@code certFile} and {@code keyFile} only name them in messages.
   */
  public static List<String> problems(
      String certFile,
      String certPem,
      String keyFile,
      String keyPem,
      List<String> names,
      Instant now) {
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

  /** The DNS names a certificate is for: its subject alternative names, else its common name. */
  static List<String> names(X509Certificate cert) {
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

  // A wildcard stands for exactly one leftmost label, as browsers match it.
  static boolean matches(String pattern, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (pattern.startsWith("*.")) {
      int dot = n.indexOf('.');
      return dot > 0 && n.substring(dot + 1).equals(pattern.substring(2));
    }
    return pattern.equals(n);
  }

  // Proves the pair by signing with the key and verifying with the certificate.
  private static boolean matchesKey(X509Certificate cert, PrivateKey key) {
    String alg =
        key.getAlgorithm().equals("EC")
            ? "SHA256withECDSA"
            : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : null;
    if (alg == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(challenge);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(challenge);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
