package dev.webinfra.lab;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Brings up the lab of a {@link LabTest} class, hands it to its methods, and closes it.
 *
 * <p>A lab of its own goes with its class. A shared lab ({@link LabRanges}) stays up for the next
 * class of its stream that names it, which finds it healed ({@link LabFixture#heal}); it goes when
 * another class of its stream starts (of another lab, of none, or one that wants it {@link
 * LabTest#fresh}), or at the end of the run. Each stream holds one shared lab at most: the first
 * stream's classes run one after the other on itpool ({@link LabClassOrder}); beside them, one
 * class at a time of the second stream ({@link SecondStream}, which brings this extension to its
 * classes without a lab too), on a lab of its own, on none, or on the stream's own ha-cluster.
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LabExtension.class);

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
    Class<?> test = context.getRequiredTestClass();
    Optional<LabTest> spec = AnnotationSupport.findAnnotation(test, LabTest.class);
    ExtensionContext.Store root = context.getRoot().getStore(NS);
    // The root store's key of the shared lab that this class's stream holds.
    String stream =
        AnnotationSupport.isAnnotated(test, SecondStream.class)
            ? "shared lab of the second stream"
            : "shared lab of the first stream";
    Held shared = root.get(stream, Held.class);
    if (shared != null
        && (spec.isEmpty()
            || !shared.lab().lab().equals(spec.get().value())
            || spec.get().fresh())) {
      // Another class's turn: an idle ha-cluster costs about a third of a core (its daemons, its
      // controller's asks), which the next class needs.
      root.remove(stream);
      shared.close();
      shared = null;
    }
    if (spec.isEmpty()) {
      return;
    }
    LabFixture.assumeLabCanRun();
    boolean isShared = LabRanges.shared(spec.get().value());
    if (isShared && shared != null) {
      context.getStore(NS).put(LabFixture.class, shared.lab());
      shared.lab().heal();
      return;
    }
    LabFixture lab = LabRanges.fixture(spec.get().value());
    // Held before the up: a failed up still leaves what it made to close().
    if (isShared) {
      root.put(stream, new Held(lab, true));
    } else {
      context.getStore(NS).put(Held.class, new Held(lab, false));
    }
    context.getStore(NS).put(LabFixture.class, lab);
    if (spec.get().downFirst() || isShared) {
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
