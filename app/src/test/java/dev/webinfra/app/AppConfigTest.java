package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {
  @TempDir Path dir;

  Path write(String extra, boolean withPassword) throws Exception {
    Path pw = dir.resolve("pw");
    if (withPassword) {
      Files.writeString(pw, "s3cret\n");
    }
    Path f = dir.resolve("app.properties");
    Files.writeString(f, """
        listen.address=127.0.0.1
        listen.port=8080
        site.name=www.foobar.com
        db.write.url=jdbc:mariadb://198.18.0.21:3306/webinfra
        db.read.urls=jdbc:mariadb://198.18.0.22:3306/webinfra
        db.user=webinfra_app
        db.password.file=%s
        """.formatted(pw) + extra);
    return f;
  }

  @Test
  void readsEveryKeyAndThePasswordFromItsFile() throws Exception {
    AppConfig c = AppConfig.load(write("", true));
    assertThat(c.listenPort()).isEqualTo(8080);
    assertThat(c.poolSize()).as("default pool size").isEqualTo(4);
    assertThat(c.password()).as("trailing newline trimmed").isEqualTo("s3cret");
    assertThat(c.readsFromWriter()).isFalse();
  }

  @Test
  void multiHostUrlsKeepTheirCommas() throws Exception {
    Path f = write("", true);
    Files.writeString(f, Files.readString(f).replaceAll("db.read.urls=.*",
        "db.read.urls=jdbc:mariadb:sequential://10.0.0.1:3306,10.0.0.2:3306/webinfra, jdbc:mariadb://10.0.0.3:3306/webinfra"));
    assertThat(AppConfig.load(f).readUrls()).containsExactly(
        "jdbc:mariadb:sequential://10.0.0.1:3306,10.0.0.2:3306/webinfra", "jdbc:mariadb://10.0.0.3:3306/webinfra");
  }

  @Test
  void aBadPortNamesTheKeyAndTheRange() throws Exception {
    Path f = write("", true);
    Files.writeString(f, Files.readString(f).replace("listen.port=8080", "listen.port=99999"));
    assertThatThrownBy(() -> AppConfig.load(f)).hasMessageContaining("key 'listen.port' must be between 1 and 65535, was 99999");
  }

  @Test
  void aMissingKeyIsNamed() throws Exception {
    Path f = write("", true);
    Files.writeString(f, Files.readString(f).replaceAll("site.name=.*\n", ""));
    assertThatThrownBy(() -> AppConfig.load(f)).hasMessageContaining("missing key 'site.name'");
  }

  @Test
  void anUnreadablePasswordFileIsNamed() throws Exception {
    Path f = write("", false);
    assertThatThrownBy(() -> AppConfig.load(f)).hasMessageContaining("db.password.file " + dir.resolve("pw") + ": cannot read");
  }
}
