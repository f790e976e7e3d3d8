package dev.webinfra.lab;

import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * Orders test classes: those with an {@link Order} first, by it (the shared labs' classes: itpool's
 * in the first stream, and AlertsIT, DnsRedundancyIT and VipIT on itside, which the second stream
 * runs first); then classes without a {@link LabTest} lab, then those with a lab of their own, then
 * the classes of each shared lab one after the other; by name otherwise. Set in
 * junit-platform.properties. The classes that hold {@link #SECOND_STREAM} run in this order too,
 * beside the others, though JUnit may take one a little early while another waits for the lock:
 * {@link LabExtension} then takes itside down and up again, and AlertsIT gets a fresh one anyway.
 */
public final class LabClassOrder implements ClassOrderer {
  /**
   * The lock of the classes that run in the second stream, beside the first stream's classes on
   * itpool: three on a shared ha-cluster of their own, the test bed's (its machines in a cpu cgroup
   * of their own) and those with a small lab of their own or none, each marked {@link
   * SecondStream}, so that they run one at a time, each with its methods in order in one thread. A
   * lab class leaves about half of the two cores idle. Two ha-cluster labs side by side, both under
   * load and with nothing to keep them apart, once slowed each other several times over
   * (MaintenanceIT's scale-out 325 s instead of 60); a class of the second stream beside one of the
   * first costs the first about a fifth of its time.
   */
  public static final String SECOND_STREAM = "the second stream";

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context
        .getClassDescriptors()
        .sort(
            Comparator.<ClassDescriptor>comparingInt(
                    d -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
                .thenComparingInt(LabClassOrder::kind)
                .thenComparing(d -> lab(d).orElse(""))
                .thenComparing(d -> d.getTestClass().getName()));
  }

  private static Optional<String> lab(ClassDescriptor d) {
    return d.findAnnotation(LabTest.class).map(LabTest::value);
  }

  // 0: no lab of LabTest's; 1: a lab of its own; 2: a shared lab.
  private static int kind(ClassDescriptor d) {
    return lab(d).map(l -> LabRanges.shared(l) ? 2 : 1).orElse(0);
  }
}
