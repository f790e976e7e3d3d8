package dev.webinfra.lab;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
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
 * LabTest#fresh}), when the last class of its stream has finished, or at the end of the run. Each
 * stream holds one shared lab at most: the first stream's classes run one after the other on itpool
 * ({@link LabClassOrder}); beside them, one class at a time of the second stream ({@link
 * SecondStream}) on its own ha-cluster, itside, and one class at a time of the third ({@link
 * ThirdStream}), on a lab of its own or none. Both bring this extension to their classes without a
 * lab too.
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LabExtension.class);

  /**
   * The classes of each stream that have not finished yet, by the root store's key of the stream's
   * shared lab: {@link LabClassOrder} lists them as it orders them, and the last of a stream to
   * finish takes its shared lab down, so that an idle ha-cluster (about a third of a core) does not
   * wait for the other streams to end (run 85: itside idle for a minute).
   */
  private static final Map<String, Set<String>> UNFINISHED = new ConcurrentHashMap<>();

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
    String stream = stream(test);
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
  public void afterAll(ExtensionContext context) {
    Class<?> test = context.getRequiredTestClass();
    String stream = stream(test);
    Set<String> left = UNFINISHED.get(stream);
    if (left == null || !left.remove(test.getName()) || !left.isEmpty()) {
      return;
    }
    Held shared = context.getRoot().getStore(NS).remove(stream, Held.class);
    if (shared != null) {
      shared.close();
    }
  }

  /** Notes that {@code test} is to run: its stream's shared lab stays until it has finished. */
  static void expect(Class<?> test) {
    UNFINISHED
        .computeIfAbsent(stream(test), k -> ConcurrentHashMap.newKeySet())
        .add(test.getName());
  }

  // The root store's key of the shared lab that the stream of class test holds.
  private static String stream(Class<?> test) {
    if (AnnotationSupport.isAnnotated(test, SecondStream.class)) {
      return "shared lab of the second stream";
    }
    if (AnnotationSupport.isAnnotated(test, ThirdStream.class)) {
      return "shared lab of the third stream";
    }
    return "shared lab of the first stream";
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
