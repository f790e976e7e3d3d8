package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.commons.support.AnnotationSupport;

/** JUnit's own lookups find what {@link SecondStream} stands for on a class that carries it. */
class SecondStreamTest {
  @Test
  void aClassOfTheSecondStreamIsConcurrentAndHoldsTheStreamsLock() {
    assertThat(AnnotationSupport.findAnnotation(PlanIT.class, Execution.class))
        .map(Execution::value)
        .contains(ExecutionMode.CONCURRENT);
    assertThat(AnnotationSupport.findRepeatableAnnotations(PlanIT.class, ResourceLock.class))
        .extracting(ResourceLock::value)
        .containsExactly(LabClassOrder.SECOND_STREAM);
    assertThat(AnnotationSupport.findAnnotation(HaClusterIT.class, Execution.class))
        .as("a class of the shared lab's chain")
        .isEmpty();
  }

  @SecondStream
  static final class WithoutALab {}

  @Test
  void labExtensionSeesEveryClassOfTheSecondStreamStartEvenWithoutALab() {
    assertThat(AnnotationSupport.findRepeatableAnnotations(WithoutALab.class, ExtendWith.class))
        .flatExtracting(e -> List.of(e.value()))
        .contains(LabExtension.class);
  }
}
