package dev.webinfra.lab;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Brings up the lab of a {@link LabTest} class, hands it to its methods, and closes it.
 *
 * <p>A lab of its own goes with its class. A shared lab ({@link LabRanges}) stays up for the next
 * class that names it, which finds it healed ({@link LabFixture#heal}); it goes when a class of
 * another shared lab starts, or at the end of the run. {@link LabClassOrder} runs the classes of a
 * shared lab one after the other; beside them, one class at a time of the second stream, each with
 * a lab of its own or none.
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LabExtension.class);
  private static final String SHARED = "shared lab";

  /** The store's hold on a fixture: JUnit closes it with its store. */
  private record Held(LabFixture lab, boolean shared)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      if (shared) {
        // The last class is done with it: down, and nothing may be left, as each class asked.
        try {
          lab.down();
          org.assertj.core.api.Assertions.assertThat(lab.leftovers())
              .as("what shared lab %s left behind", lab.lab())
              .isEmpty();
        } finally {
          lab.deleteFiles();
        }
      } else {
        lab.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LabTest spec =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), LabTest.class)
            .orElseThrow();
    LabFixture.assumeLabCanRun();
    ExtensionContext.Store root = context.getRoot().getStore(NS);
    boolean isShared = LabRanges.shared(spec.value());
    Held shared = root.get(SHARED, Held.class);
    if (shared != null && isShared && !shared.lab().lab().equals(spec.value())) {
      // Another shared lab's turn: an idle ha-cluster costs half a core, which the next class
      // needs. A class with a lab of its own runs beside the shared lab's classes (the second
      // stream, LabClassOrder) and leaves it alone.
      root.remove(SHARED);
      shared.close();
      shared = null;
    }
    if (isShared && shared != null) {
      context.getStore(NS).put(LabFixture.class, shared.lab());
      shared.lab().heal();
      return;
    }
    LabFixture lab = LabRanges.fixture(spec.value());
    // Held before the up: a failed up still leaves what it made to close().
    if (isShared) {
      root.put(SHARED, new Held(lab, true));
    } else {
      context.getStore(NS).put(Held.class, new Held(lab, false));
    }
    context.getStore(NS).put(LabFixture.class, lab);
    if (spec.downFirst() || isShared) {
      lab.down();
    }
    lab.up();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LabFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NS).get(LabFixture.class, LabFixture.class);
  }
}
