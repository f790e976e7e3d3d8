package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {
  @TempDir Path dir;

  Path write(boolean withPassword) throws Exception {
    Path pw = dir.resolve("pw");
    if (withPassword) {
      Files.writeString(pw, "s3cret \n");
    }
    Path f = dir.resolve("app.properties");
    Files.writeString(
        f,
        """
        listen.address=127.0.0.1
        listen.port=8080
        site.name=www.foobar.com
        db.write.url=jdbc:mariadb://198.18.0.21:3306/webinfra
        db.read.urls=jdbc:mariadb://198.18.0.22:3306/webinfra
        db.user=webinfra_app
        db.password.file=%s
        """
            .formatted(pw));
    return f;
  }

  Path edit(Path f, String regex, String replacement) throws Exception {
    Files.writeString(f, Files.readString(f).replaceAll(regex, replacement));
    return f;
  }

  @Test
  void readsEveryKeyAndThePasswordFromItsFile() throws Exception {
    AppConfig c = AppConfig.load(write(true));
    assertThat(c.listenAddress()).as("listen.address").isEqualTo("127.0.0.1");
    assertThat(c.listenPort()).as("listen.port").isEqualTo(8080);
    assertThat(c.siteName()).as("site.name").isEqualTo("www.foobar.com");
    assertThat(c.readUrls())
        .as("db.read.urls")
        .containsExactly("jdbc:mariadb://198.18.0.22:3306/webinfra");
    assertThat(c.poolSize()).as("db.pool.size defaults to 4").isEqualTo(4);
    assertThat(c.password()).as("only the trailing newline is trimmed").isEqualTo("s3cret ");
    assertThat(c.toString())
        .as("the record's text never holds the password")
        .doesNotContain("s3cret");
  }

  @Test
  void causalReadsAreOffUnlessSaidAndOnlyTrueOrFalse() throws Exception {
    Path f = write(true);
    assertThat(AppConfig.load(f).causalReads()).as("db.causal.reads absent").isFalse();
    Files.writeString(f, Files.readString(f) + "db.causal.reads=true\n");
    assertThat(AppConfig.load(f).causalReads()).as("db.causal.reads=true").isTrue();
    edit(f, "db.causal.reads=.*", "db.causal.reads=yes");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("neither true nor false")
        .hasMessage("config " + f + ": key 'db.causal.reads' must be true or false, was 'yes'");
  }

  @Test
  void multiHostUrlsKeepTheirCommas() throws Exception {
    Path f =
        edit(
            write(true),
            "db.read.urls=.*",
            "db.read.urls=jdbc:mariadb:sequential://10.0.0.1:3306,10.0.0.2:3306/webinfra,"
                + " jdbc:mariadb://10.0.0.3:3306/webinfra");
    assertThat(AppConfig.load(f).readUrls())
        .as("two URLs, the first with two hosts")
        .containsExactly(
            "jdbc:mariadb:sequential://10.0.0.1:3306,10.0.0.2:3306/webinfra",
            "jdbc:mariadb://10.0.0.3:3306/webinfra");
  }

  @Test
  void aBadPortNamesTheKeyAndTheRange() throws Exception {
    Path f = edit(write(true), "listen.port=8080", "listen.port=99999");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("port out of range")
        .isInstanceOf(AppConfig.Invalid.class)
        .hasMessage("config " + f + ": key 'listen.port' must be between 1 and 65535, was 99999");
    edit(f, "listen.port=.*", "listen.port=http");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("port not a number")
        .hasMessageContaining("key 'listen.port' must be a number between 1 and 65535, was 'http'")
        .hasCauseInstanceOf(NumberFormatException.class);
  }

  @Test
  void aMissingKeyIsNamed() throws Exception {
    Path f = edit(write(true), "site.name=.*\n", "");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("site.name removed")
        .hasMessage("config " + f + ": missing key 'site.name'");
    edit(f, "db.user=.*", "db.user=  ");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("blank counts as missing")
        .hasMessageContaining("missing key");
  }

  @Test
  void aUrlThatIsNotMariadbIsRefused() throws Exception {
    Path f = edit(write(true), "db.write.url=.*", "db.write.url=postgres://x/y");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("wrong scheme")
        .hasMessageContaining(
            "key 'db.write.url' must be a jdbc:mariadb: URL, was 'postgres://x/y'");
  }

  @Test
  void anUnreadablePasswordFileIsNamed() throws Exception {
    Path f = write(false);
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("password file absent")
        .hasMessage("db.password.file " + dir.resolve("pw") + ": cannot read: no such file")
        .hasCauseInstanceOf(NoSuchFileException.class);
    Files.writeString(dir.resolve("pw"), "\n");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("password file empty")
        .hasMessageEndingWith(": is empty");
  }

  @Test
  void anUnreadableConfigFileIsNamed() {
    Path f = dir.resolve("nope.properties");
    assertThatThrownBy(() -> AppConfig.load(f))
        .as("config file absent")
        .hasMessage("config " + f + ": cannot read: no such file");
  }
}
