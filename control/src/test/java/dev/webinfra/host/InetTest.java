package dev.webinfra.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Addresses as {@code ip -o -4 addr show} lists them, with their link, without prefix lengths. */
class InetTest {
  @Test
  void eachAddressWithItsLink() {
    String out =
        """
        1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
        4158: tbtbxy2n0    inet 198.18.44.11/24 brd 198.18.44.255 scope global tbtbxy2n0\\       valid_lft forever
        4160: eth1    inet 198.18.45.100/32 scope global eth1\\       valid_lft forever
        """;
    assertThat(Inet.parse(out))
        .containsExactly(
            new Inet("lo", "127.0.0.1"),
            new Inet("tbtbxy2n0", "198.18.44.11"),
            new Inet("eth1", "198.18.45.100"));
    assertThat(Inet.parse("")).isEmpty();
  }
}
