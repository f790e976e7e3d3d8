package dev.webinfra.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.x509.CertificateCheck;
import dev.webinfra.x509.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  static final List<String> SITE = List.of("www.foobar.com");
  @TempDir Path dir;

  LabCa ca(String sub, Clock clock) {
    return LabCa.loadOrCreate(dir.resolve(sub), "t", clock);
  }

  @Test
  void theCaKeyIsPrivateFromTheStartAndTheCaReloadsAsItWas() throws Exception {
    LabCa ca = ca("ca", Clock.systemUTC());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.key"))))
        .isEqualTo("rw-------");
    assertThat(ca("ca", Clock.systemUTC()).certificate())
        .as("loaded, not made anew")
        .isEqualTo(ca.certificate());
    assertThat(ca.certificate().getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
  }

  @Test
  void issuedCertificatesAreSignedByTheCaForTheirNamesAndAddresses() throws Exception {
    LabCa ca = ca("ca", Clock.systemUTC());
    IssuedCertificate issued =
        ca.issueServer(
            List.of("www.foobar.com", "foobar.com"), List.of("198.18.6.100"), Duration.ofDays(30));
    X509Certificate cert = Pem.certificates(issued.certificatePem()).get(0);

    cert.verify(ca.certificate().getPublicKey());
    assertThat(CertificateCheck.names(cert)).containsExactly("www.foobar.com", "foobar.com");
    assertThat(cert.getSubjectAlternativeNames())
        .anyMatch(san -> san.get(0).equals(7) && san.get(1).equals("198.18.6.100"));
    assertThat(issued.haproxyPem()).contains("BEGIN CERTIFICATE").contains("PRIVATE KEY");
  }

  Path[] write(String name, IssuedCertificate cert, String keyPem) throws Exception {
    Path c = dir.resolve(name + ".crt");
    Path k = dir.resolve(name + ".key");
    Files.writeString(c, cert.certificatePem());
    Files.writeString(k, keyPem);
    return new Path[] {c, k};
  }

  String topology(Path[] files) {
    return """
    lab: tls1
    domain: foobar.com
    networks: { public: { cidr: 198.18.0.0/24 } }
    tls:
      mode: files
      cert: %s
      key: %s
    hosts:
      web1: { roles: [web], networks: { public: 198.18.0.21 } }
    """
        .formatted(files[0], files[1]);
  }

  @Test
  void aGoodCertificateLoads() throws Exception {
    IssuedCertificate good =
        ca("ca", Clock.systemUTC()).issueServer(SITE, List.of(), Duration.ofDays(90));
    Path[] f = write("good", good, good.privateKeyPem());

    assertThat(
            CertificateCheck.problems(
                f[0].toString(),
                good.certificatePem(),
                f[1].toString(),
                good.privateKeyPem(),
                SITE))
        .isEmpty();
    assertThat(TopologyLoader.parse(topology(f), dir.resolve("t.yaml").toString()).tls().certFile())
        .contains(f[0]);
  }

  @Test
  void anExpiredCertificateLoadsForCheckToReportAndUpToRefuse() throws Exception {
    Clock past = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
    IssuedCertificate old = ca("old", past).issueServer(SITE, List.of(), Duration.ofDays(1));
    Path[] f = write("old", old, old.privateKeyPem());

    // Loading needs no clock: a lab whose certificate expired can still be read, stopped, taken
    // down. check reports it (TLS_CERT_EXPIRED) and up refuses it.
    var t = TopologyLoader.parse(topology(f), dir.resolve("t.yaml").toString());
    assertThat(CertificateFindings.of(t, Instant.parse("2020-01-05T00:00:00Z")))
        .extracting(dev.webinfra.analysis.Finding::id)
        .contains("TLS_CERT_EXPIRED");
    assertThatThrownBy(
            () -> CertificateFindings.requireServable(t, Instant.parse("2020-01-05T00:00:00Z")))
        .isInstanceOfSatisfying(WebinfraException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("tls.cert " + f[0] + " expired 3 days ago, on 2020-01-02");
  }

  @Test
  void aCertificateForOtherNamesIsRefusedNamingWhatIsMissing() throws Exception {
    IssuedCertificate other =
        ca("ca", Clock.systemUTC())
            .issueServer(List.of("www.example.org"), List.of(), Duration.ofDays(90));
    Path[] f = write("other", other, other.privateKeyPem());

    assertThatThrownBy(() -> TopologyLoader.parse(topology(f), dir.resolve("t.yaml").toString()))
        .hasMessageContaining(
            "tls.cert " + f[0] + ": does not cover www.foobar.com (it is for: www.example.org)");
  }

  @Test
  void aKeyThatDoesNotMatchIsRefused() throws Exception {
    LabCa ca = ca("ca", Clock.systemUTC());
    IssuedCertificate a = ca.issueServer(SITE, List.of(), Duration.ofDays(90));
    IssuedCertificate b = ca.issueServer(SITE, List.of(), Duration.ofDays(90));
    Path[] f = write("mixed", a, b.privateKeyPem());

    assertThatThrownBy(() -> TopologyLoader.parse(topology(f), dir.resolve("t.yaml").toString()))
        .hasMessageContaining("tls.key " + f[1] + ": does not match the certificate in " + f[0]);
  }

  @Test
  void garbageAndMissingFilesAreNamed() throws Exception {
    Path c = dir.resolve("garbage.crt");
    Files.writeString(c, "hello");
    Path[] f = {c, dir.resolve("nope.key")};
    assertThatThrownBy(() -> TopologyLoader.parse(topology(f), dir.resolve("t.yaml").toString()))
        .hasMessageContaining("t.yaml:7:8: tls.key: " + f[1] + ": no such file");
    Path k = dir.resolve("garbage.key");
    Files.writeString(k, "hello");
    assertThatThrownBy(
            () ->
                TopologyLoader.parse(topology(new Path[] {c, k}), dir.resolve("t.yaml").toString()))
        .hasMessageContaining("tls.cert " + c + ": no PEM certificate")
        .hasMessageContaining("tls.key " + k + ": no PEM private key");
  }

  @Test
  void wildcardsCoverOneLabel() {
    assertThat(CertificateCheck.matches("*.foobar.com", "www.foobar.com")).isTrue();
    assertThat(CertificateCheck.matches("*.foobar.com", "a.b.foobar.com")).isFalse();
    assertThat(CertificateCheck.matches("*.foobar.com", "foobar.com")).isFalse();
    assertThat(CertificateCheck.matches("*.com", "foobar.com")).as("too wide").isFalse();
    assertThat(CertificateCheck.matches("w*.foobar.com", "www.foobar.com")).as("partial").isFalse();
    assertThat(CertificateCheck.matches("*.*.com", "a.foobar.com")).isFalse();
    assertThat(CertificateCheck.matches("*", "www")).isFalse();
  }
}
