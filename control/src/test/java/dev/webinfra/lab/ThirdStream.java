package dev.webinfra.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * An IT class of the third stream, which runs beside the other two at the start of the run:
 * concurrent with them, and holding {@link LabClassOrder#THIRD_STREAM}, so that the stream's
 * classes run one at a time, each with its methods in order in one thread. For the classes with a
 * small lab of their own or none, which end in about a minute and a half, while the two streams of
 * ha-cluster classes bring their labs up and read them; the test bed's class stays in the second
 * stream, so that no more than two labs run faults at once. {@link LabExtension} sees each of them
 * start, as it sees the second stream's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LabExtension.class)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(LabClassOrder.THIRD_STREAM)
public @interface ThirdStream {}
