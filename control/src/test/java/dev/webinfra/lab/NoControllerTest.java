package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoControllerTest {
  @Test
  void startingOneSaysWhyNoneRunsAndFailsNothing() {
    List<String> said = new ArrayList<>();
    NoController none = new NoController("shop", said::add);
    none.ensureRunning();
    assertThat(said)
        .containsExactly(
            "site shop: no controller runs, since it has no monitoring host to run on; keepalived"
                + " and Galera fail over on their own, and a primary-replica database's promotion"
                + " is db promote's");
    assertThat(none.isRunning()).isFalse();
  }

  @Test
  void theControllerVerbWhereNoneBelongsIsRefused() {
    NoController none = new NoController("shop", line -> {});
    assertThatThrownBy(none::registerSelf)
        .isInstanceOf(WebinfraException.class)
        .hasMessageStartingWith("site shop: no controller runs");
  }
}
