package dev.webinfra.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.dashboard.DashboardAuth.Proof;
import org.junit.jupiter.api.Test;

/** Who the dashboard lets in, and which requests may write. */
class DashboardAuthTest {
  static final String TOKEN = "Tok3nOfTheLabForTests32charsLong";
  static final DashboardAuth AUTH = new DashboardAuth(TOKEN, "webinfra-ha");

  @Test
  void onlyTheExactTokenMatches() {
    assertThat(AUTH.matches(TOKEN)).isTrue();
    assertThat(AUTH.matches(TOKEN + "x")).isFalse();
    assertThat(AUTH.matches(TOKEN.substring(1))).isFalse();
    assertThat(AUTH.matches("")).isFalse();
    assertThat(AUTH.matches(null)).isFalse();
  }

  @Test
  void theHeaderOrThisLabsCookieProveIt() {
    assertThat(AUTH.proof("Bearer " + TOKEN, null)).isEqualTo(Proof.HEADER);
    assertThat(AUTH.proof("bearer " + TOKEN, null)).isEqualTo(Proof.HEADER);
    assertThat(AUTH.proof(null, "a=1; __Host-webinfra-ha=" + TOKEN + "; b=2"))
        .isEqualTo(Proof.COOKIE);
    assertThat(AUTH.proof(null, "__Host-webinfra-other=" + TOKEN))
        .as("another lab's cookie")
        .isEqualTo(Proof.NONE);
    assertThat(AUTH.proof(null, "webinfra-ha=" + TOKEN))
        .as("without the __Host- prefix, which any page of the host could set")
        .isEqualTo(Proof.NONE);
    assertThat(AUTH.proof("Bearer nope", "__Host-webinfra-ha=" + TOKEN))
        .as("a wrong header is not saved by a right cookie")
        .isEqualTo(Proof.NONE);
    assertThat(AUTH.proof("Basic " + TOKEN, null)).isEqualTo(Proof.NONE);
    assertThat(AUTH.proof(null, null)).isEqualTo(Proof.NONE);
  }

  @Test
  void writesNeedTheHeaderOrTheCookieFromThePageItself() {
    String own = "https://127.0.0.1:8443";
    assertThat(DashboardAuth.maySideEffect(Proof.HEADER, null, own)).isTrue();
    assertThat(DashboardAuth.maySideEffect(Proof.COOKIE, own, own)).isTrue();
    assertThat(DashboardAuth.maySideEffect(Proof.COOKIE, null, own)).isFalse();
    assertThat(DashboardAuth.maySideEffect(Proof.COOKIE, "null", own)).isFalse();
    assertThat(DashboardAuth.maySideEffect(Proof.COOKIE, "https://127.0.0.1:8444", own)).isFalse();
    assertThat(DashboardAuth.maySideEffect(Proof.NONE, own, own)).isFalse();
  }

  @Test
  void theCookieIsHttpOnlySecureStrictAndForThisOriginOnly() {
    assertThat(AUTH.setCookie(TOKEN))
        .isEqualTo("__Host-webinfra-ha=" + TOKEN + "; Path=/; Secure; HttpOnly; SameSite=Strict");
  }

  @Test
  void aWeakTokenIsRefused() {
    assertThatThrownBy(() -> new DashboardAuth("short", "webinfra-ha"))
        .hasMessageContaining("16 to 128");
  }
}
