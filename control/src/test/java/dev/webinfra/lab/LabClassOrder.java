package dev.webinfra.lab;

import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Order;

/**
 * Orders test classes so that one lab at a time is up: classes without a {@link LabTest} lab first,
 * then those with a lab of their own, then the classes of each shared lab one after the other, by
 * their {@link Order}; by name otherwise. Set in junit-platform.properties.
 */
public final class LabClassOrder implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context
        .getClassDescriptors()
        .sort(
            Comparator.comparingInt(LabClassOrder::kind)
                .thenComparing(d -> lab(d).orElse(""))
                .thenComparingInt(
                    d -> d.findAnnotation(Order.class).map(Order::value).orElse(Order.DEFAULT))
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
