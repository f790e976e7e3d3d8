package dev.webinfra.tls;

import dev.webinfra.x509.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time, good or bad in one chosen way, so that no private key is
 * committed: {@code TestCerts.server(now).sans(...).rsa(1024).build()}.
 */
final class TestCerts {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  /** A key pair and a certificate for it. */
  record Made(X509Certificate cert, KeyPair keys) {
    String certPem() {
      return Pem.write(cert);
    }

    String keyPem() {
      return Pem.writeKey(keys.getPrivate());
    }
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec(curve), RANDOM);
    return g.generateKeyPair();
  }

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
    g.initialize(bits, RANDOM);
    return g.generateKeyPair();
  }

  /** What to make; each setter changes one thing from a good server certificate. */
  static final class Spec {
    String subject = "CN=www.foobar.com";
    List<String> sans = new ArrayList<>(List.of("www.foobar.com"));
    Instant from;
    Instant until;
    KeyPair keys;
    String signature;
    boolean ca;
    boolean caConstraints = true;
    int keyUsage = KeyUsage.digitalSignature;
    KeyPurposeId eku = KeyPurposeId.id_kp_serverAuth;
    Made issuer;

    Spec(Instant now) throws Exception {
      from = now.minus(Duration.ofDays(1));
      until = now.plus(Duration.ofDays(90));
      keys = ec("secp256r1");
    }

    Spec subject(String s) {
      subject = s;
      return this;
    }

    Spec sans(String... names) {
      sans = List.of(names);
      return this;
    }

    Spec valid(Instant f, Instant u) {
      from = f;
      until = u;
      return this;
    }

    Spec keys(KeyPair k) {
      keys = k;
      return this;
    }

    Spec signature(String alg) {
      signature = alg;
      return this;
    }

    Spec ca() {
      ca = true;
      keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
      eku = null;
      return this;
    }

    Spec noCaConstraints() {
      caConstraints = false;
      return this;
    }

    Spec keyUsage(int ku) {
      keyUsage = ku;
      return this;
    }

    Spec eku(KeyPurposeId id) {
      eku = id;
      return this;
    }

    Spec issuedBy(Made i) {
      issuer = i;
      return this;
    }

    Made build() throws Exception {
      X500Name name = new X500Name(subject);
      X500Name issuerName =
          issuer == null
              ? name
              : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
      PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.keys().getPrivate();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(from),
              Date.from(until),
              name,
              keys.getPublic());
      if (ca || caConstraints) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      }
      b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      if (eku != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
      }
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                sans.stream()
                    .map(n -> new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new)));
      }
      String alg = signature;
      if (alg == null) {
        alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      }
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(signer)));
      return new Made(cert, keys);
    }
  }

  static Spec server(Instant now) throws Exception {
    return new Spec(now);
  }

  /** A root CA (self-signed) and an intermediate it issued, both good. */
  static Made[] rootAndIntermediate(Instant now) throws Exception {
    Made root =
        server(now)
            .subject("CN=Test Root")
            .sans()
            .ca()
            .valid(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(3650)))
            .build();
    Made inter =
        server(now)
            .subject("CN=Test Intermediate")
            .sans()
            .ca()
            .issuedBy(root)
            .valid(now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1000)))
            .build();
    return new Made[] {root, inter};
  }

  private TestCerts() {}
}
