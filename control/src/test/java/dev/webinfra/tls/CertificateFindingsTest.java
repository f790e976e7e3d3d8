package dev.webinfra.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.analysis.Finding;
import dev.webinfra.analysis.Severity;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each certificate finding from the fixture topology {@code topologies/tls/files.yaml} and a
 * certificate made at test time that is bad in one way; a good certificate is the control.
 */
class CertificateFindingsTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final Path FIXTURE = Path.of("src/test/resources/topologies/tls/files.yaml");
  @TempDir Path dir;

  /** The fixture with {@code certPem} and {@code keyPem} beside it (key 0600 unless said). */
  Topology load(String certPem, String keyPem, String keyMode) throws Exception {
    Path t = dir.resolve("files.yaml");
    Files.copy(FIXTURE, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("site.pem"), certPem);
    Path key = dir.resolve("site.key");
    Files.writeString(key, keyPem);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(keyMode));
    return TopologyLoader.load(t);
  }

  List<Finding> findings(TestCerts.Made m) throws Exception {
    return CertificateFindings.of(load(m.certPem(), m.keyPem(), "rw-------"), NOW);
  }

  static List<String> ids(List<Finding> fs) {
    return fs.stream().map(Finding::id).toList();
  }

  @Test
  void aGoodCertificateHasNoFinding() throws Exception {
    assertThat(findings(TestCerts.server(NOW).build())).isEmpty();
    assertThat(findings(TestCerts.server(NOW).keys(TestCerts.rsa(2048)).build())).isEmpty();
  }

  @Test
  void aGoodChainInOrderHasNoFinding() throws Exception {
    TestCerts.Made[] ca = TestCerts.rootAndIntermediate(NOW);
    TestCerts.Made leaf = TestCerts.server(NOW).issuedBy(ca[1]).build();
    Topology t = load(leaf.certPem() + ca[1].certPem(), leaf.keyPem(), "rw-------");
    assertThat(CertificateFindings.of(t, NOW)).isEmpty();
  }

  @Test
  void expiredNotYetValidAndExpiringSoonSayWhenInDays() throws Exception {
    List<Finding> expired =
        findings(
            TestCerts.server(NOW)
                .valid(NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(12)))
                .build());
    assertThat(ids(expired)).containsExactly("TLS_CERT_EXPIRED");
    assertThat(expired.get(0).why()).contains("expired 12 days ago, on 2026-11-22");
    assertThat(expired.get(0).hosts()).containsExactly("lb1");

    List<Finding> early =
        findings(
            TestCerts.server(NOW)
                .valid(NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(90)))
                .build());
    assertThat(ids(early)).containsExactly("TLS_CERT_NOT_YET_VALID");
    assertThat(early.get(0).why()).contains("in 3 days");

    Finding soon =
        findings(
                TestCerts.server(NOW)
                    .valid(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(12)))
                    .build())
            .get(0);
    assertThat(soon.id()).isEqualTo("TLS_CERT_EXPIRES_SOON");
    assertThat(soon.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(soon.why()).contains("expires in 12 days, on 2026-12-16");

    Finding urgent =
        findings(
                TestCerts.server(NOW)
                    .valid(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(5)))
                    .build())
            .get(0);
    assertThat(urgent.severity()).isEqualTo(Severity.HIGH);
    assertThat(urgent.why()).contains("expires in 5 days");
  }

  @Test
  void aLifetimeLongerThan398DaysIsAFinding() throws Exception {
    List<Finding> f =
        findings(
            TestCerts.server(NOW)
                .valid(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(815)))
                .build());
    assertThat(ids(f)).containsExactly("TLS_CERT_LIFETIME_TOO_LONG");
    assertThat(f.get(0).why()).contains("is valid for 825 days");
  }

  @Test
  void aCommonNameWithoutSubjectAltNameIsAFinding() throws Exception {
    List<Finding> f = findings(TestCerts.server(NOW).sans().build());
    assertThat(ids(f)).containsExactly("TLS_CERT_NO_SAN");
    assertThat(f.get(0).why()).contains("CN=www.foobar.com");
  }

  @Test
  void weakKeysAreFindingsInBits() throws Exception {
    List<Finding> rsa = findings(TestCerts.server(NOW).keys(TestCerts.rsa(1024)).build());
    assertThat(ids(rsa)).containsExactly("TLS_WEAK_KEY");
    assertThat(rsa.get(0).why()).contains("an RSA key of 1024 bits");

    List<Finding> curve = findings(TestCerts.server(NOW).keys(TestCerts.ec("secp256k1")).build());
    assertThat(ids(curve)).containsExactly("TLS_WEAK_KEY");
    assertThat(curve.get(0).why()).contains("curve secp256k1");
  }

  @Test
  void sha1AndMd5SignaturesAreFindings() throws Exception {
    TestCerts.Made sha1 =
        TestCerts.server(NOW).keys(TestCerts.rsa(2048)).signature("SHA1withRSA").build();
    List<Finding> f = findings(sha1);
    assertThat(ids(f)).containsExactly("TLS_WEAK_SIGNATURE");
    assertThat(f.get(0).why()).contains("SHA1withRSA");

    TestCerts.Made md5 =
        TestCerts.server(NOW).keys(TestCerts.rsa(2048)).signature("MD5withRSA").build();
    assertThat(ids(findings(md5))).containsExactly("TLS_WEAK_SIGNATURE");
  }

  @Test
  void aCaOrClientCertificateIsNotForServers() throws Exception {
    List<Finding> ca = findings(TestCerts.server(NOW).ca().build());
    assertThat(ids(ca)).containsExactly("TLS_CERT_NOT_FOR_SERVERS");
    assertThat(ca.get(0).why()).contains("CA:true");

    List<Finding> client =
        findings(TestCerts.server(NOW).eku(KeyPurposeId.id_kp_clientAuth).build());
    assertThat(client.get(0).why()).contains("lacks serverAuth");

    List<Finding> ku = findings(TestCerts.server(NOW).keyUsage(KeyUsage.keyAgreement).build());
    assertThat(ku.get(0).why()).contains("lacks digitalSignature");
  }

  @Test
  void aChainOutOfOrderSaysWhichIssuedWhich() throws Exception {
    TestCerts.Made[] ca = TestCerts.rootAndIntermediate(NOW);
    TestCerts.Made leaf = TestCerts.server(NOW).issuedBy(ca[1]).build();
    Topology t =
        load(leaf.certPem() + ca[0].certPem() + ca[1].certPem(), leaf.keyPem(), "rw-------");
    List<Finding> f = CertificateFindings.of(t, NOW);
    assertThat(ids(f)).containsExactly("TLS_CHAIN_ORDER");
    assertThat(f.get(0).why())
        .contains("certificate 2 in the file (CN=Test Root) did not issue the server's")
        .contains("certificate 3 in the file (CN=Test Intermediate) did, further on");
  }

  @Test
  void anIssuerThatIsNoCaIsAFinding() throws Exception {
    TestCerts.Made notCa =
        TestCerts.server(NOW).subject("CN=Not A CA").sans().noCaConstraints().build();
    TestCerts.Made leaf = TestCerts.server(NOW).issuedBy(notCa).build();
    Topology t = load(leaf.certPem() + notCa.certPem(), leaf.keyPem(), "rw-------");
    List<Finding> f = CertificateFindings.of(t, NOW);
    assertThat(ids(f)).containsExactly("TLS_CHAIN_ISSUER_NOT_CA");
    assertThat(f.get(0).why()).contains("is not a CA").contains("lacks keyCertSign");
  }

  @Test
  void aKeyOthersCanReadIsHighAndOneTheGroupCanReadMedium() throws Exception {
    TestCerts.Made m = TestCerts.server(NOW).build();
    Finding world = CertificateFindings.of(load(m.certPem(), m.keyPem(), "rw-r--r--"), NOW).get(0);
    assertThat(world.id()).isEqualTo("TLS_KEY_READABLE");
    assertThat(world.severity()).isEqualTo(Severity.HIGH);
    assertThat(world.why()).contains("is rw-r--r--").contains("every user of this machine");
    assertThat(world.fix()).startsWith("chmod 600 ");

    Finding group = CertificateFindings.of(load(m.certPem(), m.keyPem(), "rw-r-----"), NOW).get(0);
    assertThat(group.severity()).isEqualTo(Severity.MEDIUM);
  }

  @Test
  void upRefusesAnExpiredCertificateAsInvalidInput() throws Exception {
    TestCerts.Made old =
        TestCerts.server(NOW)
            .valid(NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(2)))
            .build();
    Topology t = load(old.certPem(), old.keyPem(), "rw-------");
    assertThatThrownBy(() -> CertificateFindings.requireServable(t, NOW))
        .isInstanceOfSatisfying(WebinfraException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("expired 2 days ago");
    CertificateFindings.requireServable(t, NOW.minus(Duration.ofDays(30)));
  }

  @Test
  void checkReportsAndExplainsAFindingAtTheCurrentTime() throws Exception {
    TestCerts.Made m = TestCerts.server(Instant.now()).build();
    load(m.certPem(), m.keyPem(), "rw-r--r--");
    String t = dir.resolve("files.yaml").toString();
    var run = dev.webinfra.cli.CliRun.of("check", "--explain", "TLS_KEY_READABLE", t);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("TLS_KEY_READABLE (high)").contains("chmod 600");
    assertThat(dev.webinfra.cli.CliRun.of("check", "--fail-on", "high", t).exitCode()).isEqualTo(1);
  }
}
