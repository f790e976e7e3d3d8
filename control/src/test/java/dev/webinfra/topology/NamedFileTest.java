package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.WebinfraException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file the topology names (tls.cert, tls.key) gets the topology's own guards: one located line
 * naming the entry, the file and the reason, and nothing hangs or fills the memory.
 */
class NamedFileTest {
  @TempDir Path dir;

  WebinfraException refusal(String cert, String key) throws Exception {
    Path t = dir.resolve("t.yaml");
    Files.writeString(
        t,
        """
        lab: nf
        domain: foobar.com
        networks: { public: { cidr: 198.18.0.0/24 } }
        tls:
          mode: files
          cert: "%s"
          key: "%s"
        hosts:
          web1: { roles: [web], networks: { public: 198.18.0.21 } }
        """
            .formatted(cert, key));
    try {
      TopologyLoader.load(t);
    } catch (WebinfraException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  Path key() throws Exception {
    Path k = dir.resolve("ok.key");
    Files.writeString(k, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
    return k;
  }

  static void oneLocatedLine(WebinfraException e, String expected) {
    assertThat(e.exitCode()).isEqualTo(WebinfraException.INVALID_INPUT);
    assertThat(e.getMessage()).as("one line").doesNotContain("\n").contains(expected);
    assertThat(e.getCause()).isNull();
  }

  @Test
  void aFifoNamedAsTheCertificateIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("cert.fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo is not available");
    oneLocatedLine(
        refusal(fifo.toString(), key().toString()),
        "t.yaml:6:9: tls.cert: " + fifo + ": is not a regular file (a device, FIFO or socket)");
  }

  @Test
  void devZeroAndADirectoryAreRefused() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "/dev/zero is missing");
    oneLocatedLine(
        refusal("/dev/zero", key().toString()),
        "t.yaml:6:9: tls.cert: /dev/zero: is not a regular");
    oneLocatedLine(refusal(dir.toString(), key().toString()), "is a directory; give a PEM file");
  }

  @Test
  void aHugeCertificateIsRefusedFromItsSize() throws Exception {
    Path big = dir.resolve("big.pem");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(8L * 1024 * 1024 * 1024); // sparse: 8 GiB that cost nothing to make
    }
    oneLocatedLine(
        refusal(big.toString(), key().toString()),
        "tls.cert: " + big + ": is 8192.0 MiB; a PEM file is at most 256 KiB");
  }

  @Test
  void aDerCertificateIsRefusedAsNotText() throws Exception {
    Path der = dir.resolve("site.der");
    Files.write(der, new byte[] {0x30, (byte) 0x82, 0x03, (byte) 0xff, (byte) 0xa0, 0x03});
    oneLocatedLine(
        refusal(der.toString(), key().toString()),
        "tls.cert: " + der + ":1:2: not UTF-8 text: byte 0x82 at offset 1");
  }

  @Test
  void aNameThatIsNoPathIsRefused() throws Exception {
    oneLocatedLine(refusal("", key().toString()), "tls.cert: '' is not a file name");
  }

  @Test
  void deeplyNestedAsn1IsRefusedWithoutAStackTrace() throws Exception {
    // 100 000 nested SEQUENCEs (30 80 ... 00 00, indefinite length): a parser that recurses dies.
    byte[] der = new byte[200_000 * 2];
    for (int i = 0; i < 100_000; i++) {
      der[2 * i] = 0x30;
      der[2 * i + 1] = (byte) 0x80;
    }
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(java.util.Arrays.copyOf(der, 150_000))
            + "\n-----END CERTIFICATE-----\n";
    Path deep = dir.resolve("deep.pem");
    Files.writeString(deep, pem);
    WebinfraException e = refusal(deep.toString(), key().toString());
    assertThat(e.getMessage()).contains("tls.cert " + deep + ": not a PEM certificate");
    assertThat(e.getCause()).isNull();
  }
}
