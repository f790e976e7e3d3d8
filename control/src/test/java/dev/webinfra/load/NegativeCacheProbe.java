package dev.webinfra.load;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link AgentLookupCacheTest}: looks a name up in the hosts file named
 * by {@code jdk.net.hosts.file} (so no query leaves the machine), adds the name, waits 1.5 s and
 * looks again. Prints the address, or {@code still-failed} while the failure is still cached.
 */
final class NegativeCacheProbe {
  private NegativeCacheProbe() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("agent")) {
      LoadAgent.cacheLookupsLikeABrowser();
    }
    Path hosts = Path.of(System.getProperty("jdk.net.hosts.file"));
    try {
      InetAddress.getByName("site.test");
      System.out.println("found-before-it-existed");
      return;
    } catch (UnknownHostException expected) {
      // The failed lookup the cache may now keep.
    }
    Files.writeString(hosts, "198.18.0.9 site.test\n");
    Thread.sleep(1500);
    try {
      System.out.println(InetAddress.getByName("site.test").getHostAddress());
    } catch (UnknownHostException e) {
      System.out.println("still-failed");
    }
  }
}
