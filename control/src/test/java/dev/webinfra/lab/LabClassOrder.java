package dev.webinfra.lab;

import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * Orders test classes: those with an {@link Order} first, by it (the shared lab's, and AlertsIT,
 * which the second stream runs first); then classes without a {@link LabTest} lab, then those with
 * a lab of their own, then the classes of each shared lab one after the other; by name otherwise.
 * Set in junit-platform.properties. The classes that hold {@link #SECOND_STREAM} run in this order
 * too, beside the others.
 */
public final class LabClassOrder implements ClassOrderer {
  /**
   * The lock of the classes that run in the second stream, beside the shared lab's classes: the
   * test bed's (its machines in a cpu cgroup of their own) and those with a small lab of their own
   * or none, each marked {@link SecondStream}, so that they run one at a time, each with its
   * methods in order in one thread; the shared lab's classes run one after the other in the first.
   * A lab class leaves about half of the two cores idle; two ha-cluster labs side by side, one
   * under load, slowed each other several times over.
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
