package dev.webinfra.tls;

import dev.webinfra.WebinfraException;
import dev.webinfra.x509.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A lab's own certificate authority, made in Java with BouncyCastle: an EC P-256 key kept 0600 in a
 * 0700 directory, and a self-signed CA certificate that clients of the lab trust. It issues server
 * certificates for the site's names and for load balancer to server TLS.
 */
public final class LabCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;

  private LabCa(X509Certificate certificate, PrivateKey key, Clock clock) {
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
  }

  /** Loads the CA in {@code dir}, or creates it there (key 0600, directory 0700). */
  public static LabCa loadOrCreate(Path dir, String lab, Clock clock) {
    Path crt = dir.resolve("ca.crt");
    Path keyFile = dir.resolve("ca.key");
    try {
      if (Files.exists(crt) && Files.exists(keyFile)) {
        return new LabCa(
            Pem.certificates(Files.readString(crt)).get(0),
            Pem.privateKey(Files.readString(keyFile)),
            clock);
      }
      if (!Files.exists(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      KeyPair kp = ecKeyPair();
      Instant now = clock.instant();
      X500Name name = new X500Name("CN=webinfra lab CA " + lab);
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(730))),
              name,
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = sign(b, kp.getPrivate());
      // The key file is private from the moment it exists, not after a chmod.
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, Pem.writeKey(kp.getPrivate()), StandardCharsets.UTF_8);
      Files.writeString(crt, Pem.write(cert), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(crt, PosixFilePermissions.fromString("rw-r--r--"));
      return new LabCa(cert, kp.getPrivate(), clock);
    } catch (IOException | GeneralSecurityException | Pem.Invalid e) {
      throw WebinfraException.unexpectedState("lab CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The CA's certificate, which clients trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A server certificate for DNS names and IP addresses, valid for {@code validity}. */
  public IssuedCertificate issueServer(
      List<String> dnsNames, List<String> ipAddresses, Duration validity) {
    try {
      KeyPair kp = ecKeyPair();
      Instant now = clock.instant();
      String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              new X500Name("CN=" + cn),
              kp.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      dnsNames.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
      for (String ip : ipAddresses) {
        sans.add(
            new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
      }
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      X509Certificate cert = sign(b, key);
      return new IssuedCertificate(
          Pem.write(cert), Pem.writeKey(kp.getPrivate()), Pem.write(certificate));
    } catch (IOException | GeneralSecurityException e) {
      throw WebinfraException.unexpectedState(
          "lab CA: cannot issue a certificate for "
              + dnsNames
              + " "
              + ipAddresses
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign: " + e.getMessage(), e);
    }
  }
}
